import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorityKeyIdentifier,
  basicConstraints,
  createWorld,
  dn,
  encodeName,
  forgeRevocationList,
  keyUsage,
  oid,
  sequence,
  subjectAltName,
  subjectKeyIdentifier,
  tlv,
  context,
  integer,
  type ExtensionSpec,
  type World,
} from '../../packages/nest-mtls-auth/test/support/forge/index.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { resolveTrust } from '../../packages/nest-mtls-auth/src/options/resolve-options.js';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import { FixtureRoutesModule } from '../support/fixture-routes.js';
import {
  presentDirect,
  presentForwarded,
  startWorldServers,
  type Presented,
  type WorldServers,
} from '../support/trust-parity.js';
import {
  askAll,
  clientAuth,
  customKey,
  DAY,
  doctorFor,
  extensionDer,
  forgeCrl,
  hex,
  HOUR,
  leafUnder,
  opensslSays,
  rawCertificate,
  rawExt,
  type Answers,
} from '../support/attack-kit.js';

/**
 * Certificates an attacker would try, each shown to the three ways (the handshake's OpenSSL, the
 * forwarded header's TypeScript verifier, the doctor), which must give one verdict however it
 * arrives. The handshake's own answer is pinned first (`expect(openssl)`, Node's
 * `authorizationError`), so a case stops meaning anything, loudly, if Node's OpenSSL changes.
 * Where the service refuses what OpenSSL would accept (RFC 3779 resources), it does so on every
 * way, by policy.
 *
 * All leaves are forged by the world's own CAs (seed 20261204); none of these shapes is drawn by
 * the generator (forge/cases.ts), which test/e2e/trust-parity covers.
 */
const pki = useTestPki();
const world: World = createWorld(20261204);
const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  ipAddrBlocks: '1.3.6.1.5.5.7.1.7',
  autonomousSysIds: '1.3.6.1.5.5.7.1.8',
  smtpUtf8Mailbox: '1.3.6.1.5.5.7.8.9',
};
const [BC, KU, EKU] = clientAuth() as [ExtensionSpec, ExtensionSpec, ExtensionSpec];
/** Whether this Node can make ML-DSA keys (24 and later). */
const ML_DSA = (() => {
  try {
    generateKeyPairSync('ml-dsa-44' as 'ed25519');
    return true;
  } catch {
    return false;
  }
})();
const utf8 = (text: string) => Buffer.concat([Buffer.from([0x0c, text.length]), Buffer.from(text)]);

/** Parity of one presented chain: the forwarded way and the doctor agree with the handshake. */
function expectParity(a: Answers, openssl: string): void {
  expect(
    { forwarded: a.forwarded, doctorForwarded: a.doctorForwarded, doctorDirect: a.doctorDirect },
    `OpenSSL's authorizationError: ${openssl}`,
  ).toEqual({ forwarded: a.directLeaf, doctorForwarded: a.directLeaf, doctorDirect: a.direct });
}

/** Leaves the handshake refuses, each with OpenSSL's error (3.5.9, as Node names it). */
const REFUSED: [string, string, () => Presented][] = [
  // crypto/asn1/a_int.c c2i_ibuf: "illegal padding" and "illegal zero content" fail the decode;
  // v3_purp.c ossl_x509v3_cache_extensions then sets EXFLAG_INVALID, and ossl_x509_likely_issued
  // finds no issuer for an invalid certificate.
  [
    'basicConstraints pathLenConstraint 02 02 00 01 (non-minimal INTEGER)',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: [rawExt(OID.basicConstraints, '3004 0202 0001', true), KU, EKU],
      }),
  ],
  [
    'basicConstraints pathLenConstraint 02 00 (empty INTEGER)',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: [rawExt(OID.basicConstraints, '3002 0200', true), KU, EKU],
      }),
  ],
  [
    'authorityKeyIdentifier serial 00-padded (the issuer serial, non-minimal)',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () => {
      const ca = world.ca('root-ec');
      return leafUnder(world, 'root-ec', {
        spec: {
          authorityKeyIdentifier: {
            keyId: ca.certificate.subjectKeyId,
            serial: Buffer.concat([Buffer.from([0]), ca.certificate.serial]),
          },
        },
      });
    },
  ],
  [
    'nameConstraints on the leaf with minimum 02 00 00 (non-minimal zero)',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.nameConstraints, '300d a00b 3009 8203 782e79 80020000')),
      }),
  ],
  // crypto/asn1/a_object.c ossl_c2i_ASN1_OBJECT: an empty OID, a 0x80 padding octet, or a last
  // octet with its high bit set fail the decode.
  [
    'extKeyUsage { clientAuth, 06 00 (empty OID) }',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: [BC, KU, rawExt(OID.extKeyUsage, '300c 06082b06010505070302 0600')],
      }),
  ],
  [
    'extKeyUsage { clientAuth, 06 03 2b 80 01 (padded arc) }',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: [BC, KU, rawExt(OID.extKeyUsage, '300f 06082b06010505070302 06032b8001')],
      }),
  ],
  [
    'extKeyUsage { clientAuth, 06 02 2b 81 (unterminated arc) }',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: [BC, KU, rawExt(OID.extKeyUsage, '300e 06082b06010505070302 06022b81')],
      }),
  ],
  [
    'subjectAltName registeredID 88 00 (empty OID)',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.subjectAltName, '3002 8800')),
      }),
  ],
  // Nested structures OpenSSL decodes all the way down (GENERAL_NAME's EDIPARTYNAME, X509_NAME via
  // x509_name_ex_d2i + x509_name_canon, OTHERNAME's ANY).
  [
    'subjectAltName ediPartyName a5 00 (no partyName)',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.subjectAltName, '3002 a500')),
      }),
  ],
  [
    'subjectAltName directoryName whose RDN holds an INTEGER',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.subjectAltName, '3009 a407 3005 3103 020100')),
      }),
  ],
  [
    'subjectAltName directoryName CN as UniversalString U+110000',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(
          rawExt(OID.subjectAltName, '3011 a40f 300d 310b 3009 0603550403 1c0400110000'),
        ),
      }),
  ],
  [
    'subjectAltName directoryName CN as BMPString of odd length',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(
          rawExt(OID.subjectAltName, '3010 a40e 300c 310a 3008 0603550403 1e0141'),
        ),
      }),
  ],
  [
    'subjectAltName directoryName CN as UTF8String with an invalid byte',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(
          rawExt(OID.subjectAltName, '3010 a40e 300c 310a 3008 0603550403 0c01ff'),
        ),
      }),
  ],
  [
    'subjectAltName otherName whose value is an empty INTEGER',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.subjectAltName, '300b a009 0603 2a0304 a002 0200')),
      }),
  ],
  [
    'cRLDistributionPoints nameRelativeToCRLIssuer that is no RDN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.crlDistributionPoints, '3009 3007 a005 a103 040100')),
      }),
  ],
  [
    'cRLDistributionPoints cRLIssuer directoryName that is no Name',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(
          rawExt(OID.crlDistributionPoints, '300b 3009 a207 a405 3003 020100'),
        ),
      }),
  ],
  // URI name constraints. The OSSL_parse_url of the OpenSSL Node runs (3.5.9) looks for userinfo
  // inside the authority only, so the host of these URIs is the one before the '/', '?' or '#'.
  // Under nc-uri (permit example.test and .good.example, exclude evil.good.example) they are
  // refused (3.5.4 took userinfo up to the first '@' anywhere, and would have let them in).
  ...(
    [
      ['https://evil.good.example/@api.good.example', 'an excluded host, "@" in the path'],
      [
        'spiffe://evil.test/ns/x@example.test',
        'a host outside the permitted ones, "@" in the path',
      ],
      ['https://evil.test?@api.good.example', '"@" in the query'],
      ['https://evil.test#@api.good.example', '"@" in the fragment'],
    ] as const
  ).map(([uri, what]): [string, string, () => Presented] => [
    `nc-uri: URI ${uri} (${what})`,
    'UNSPECIFIED',
    () => leafUnder(world, 'nc-uri', { extensions: clientAuth(subjectAltName([{ uri }])) }),
  ]),
];

/**
 * RFC 3779 resource certificates: OpenSSL validates the resources (v3_addr.c
 * addr_validate_path_internal: "inherit" and empty blocks nest under CAs without any) and accepts
 * these; the service refuses any certificate with such a block, on every way.
 */
const RESOURCES: [string, () => Presented][] = [
  [
    'ipAddrBlocks empty',
    () => leafUnder(world, 'root-ec', { extensions: clientAuth(rawExt(OID.ipAddrBlocks, '3000')) }),
  ],
  [
    'ipAddrBlocks { IPv4 inherit }',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.ipAddrBlocks, '3008 3006 04020001 0500')),
      }),
  ],
  [
    'autonomousSysIds { asnum inherit }',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: clientAuth(rawExt(OID.autonomousSysIds, '3004 a002 0500')),
      }),
  ],
];

/** Leaves the handshake accepts. */
const ACCEPTED: [string, () => Presented][] = [
  // v3_ncons.c nc_match_single: an SmtpUTF8Mailbox otherName is compared with nc_email_eai.
  [
    'nc-email: SAN otherName SmtpUTF8Mailbox user@good.example',
    () =>
      leafUnder(world, 'nc-email', {
        extensions: clientAuth(
          subjectAltName([
            { otherName: { oid: OID.smtpUtf8Mailbox, value: utf8('user@good.example') } },
          ]),
        ),
      }),
  ],
  // An '@' after the authority is part of the path for OSSL_parse_url; and it reads the port
  // with sscanf("%u"), which wraps 4294967296 to 0.
  ...[
    'https://api.good.example/x@evil.test',
    'https://api.good.example#x/y@z',
    'https://api.good.example:4294967296/',
  ].map((uri): [string, () => Presented] => [
    `nc-uri: URI ${uri}`,
    () => leafUnder(world, 'nc-uri', { extensions: clientAuth(subjectAltName([{ uri }])) }),
  ]),
  // x509_set.c x509_sig_info_init -> rsa_sig_info_set: secbits = digest size * 4 for any PSS
  // hash, SHA-3 too.
  [
    'a leaf signed by root-rsa with RSASSA-PSS / SHA3-256',
    () => {
      const ca = world.ca('root-rsa');
      const key = world.keys.get('p-256', 0);
      const sha3 = sequence(oid('2.16.840.1.101.3.4.2.8'));
      const params = sequence(
        tlv(context(0, true), sha3),
        tlv(context(1, true), sequence(oid('1.2.840.113549.1.1.8'), sha3)),
        tlv(context(2, true), integer(32)),
      );
      const leaf = rawCertificate({
        subject: dn('O=Forge, CN=billing-service'),
        issuerName: ca.certificate.subjectName,
        spki: key.spki,
        algorithm: sequence(oid('1.2.840.113549.1.1.10'), params),
        extensions: [
          subjectKeyIdentifier(key.keyId),
          authorityKeyIdentifier({ keyId: ca.certificate.subjectKeyId }),
          ...clientAuth(),
        ],
        sign: (tbs) =>
          sign('sha3-256', tbs, {
            key: ca.key.privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: 32,
          }),
      });
      return { leafPem: leaf.pem, keyPem: key.privatePem, sentPems: [] };
    },
  ],
  // OpenSSL 3.5 gives ML-DSA-44 128 bits and TLS 1.3 signs with it.
  ...(ML_DSA
    ? [
        [
          'an ML-DSA-44 leaf key',
          () =>
            leafUnder(world, 'root-ec', {
              key: customKey('ed25519', generateKeyPairSync('ml-dsa-44' as 'ed25519')),
            }),
        ] as [string, () => Presented],
      ]
    : []),
  // Any number of extKeyUsage purposes.
  [
    'extKeyUsage with 65 purposes (clientAuth among them)',
    () => {
      const ekus = Buffer.concat(Array.from({ length: 65 }, () => hex('06082b06010505070302')));
      const value = Buffer.concat([
        hex('3082'),
        Buffer.from([ekus.length >> 8, ekus.length & 0xff]),
        ekus,
      ]);
      return leafUnder(world, 'root-ec', { extensions: [BC, KU, rawExt(OID.extKeyUsage, value)] });
    },
  ],
  // BER: OpenSSL's decoder takes a constructed BIT STRING.
  [
    'keyUsage as a constructed BIT STRING (23 04 03 02 07 80)',
    () =>
      leafUnder(world, 'root-ec', {
        extensions: [BC, rawExt(OID.keyUsage, '2304 03020780', true), EKU],
      }),
  ],
];

describe.each(['express', 'fastify'] as const)('trust attacks, world bundle, on %s', (adapter) => {
  let servers: WorldServers;
  const doctor = doctorFor(world.bundlePem);
  beforeAll(async () => {
    servers = await startWorldServers(pki, world, [adapter]);
  }, 60_000);
  afterAll(() => servers.close());

  describe('a leaf the handshake refuses is refused on every way', () => {
    it.each(REFUSED)('%s', async (_, handshake, make) => {
      const presented = make();
      const a = await askAll(servers, doctor, presented);
      const openssl = await opensslSays(world, world.bundlePem, presented);
      expect(openssl, 'OpenSSL').toBe(handshake);
      expect(a.directLeaf, 'direct').toBe('MTLS_CERT_UNTRUSTED');
      expectParity(a, openssl);
    });
  });

  describe('and reaches no route, even one its name may call', () => {
    it.each([0, 4, 16].map((i) => REFUSED[i] as (typeof REFUSED)[number]))(
      '%s: GET /api/invoices',
      async (_, __, make) => {
        const presented = make();
        const { app, proxy } = servers.apps[0] as WorldServers['apps'][number];
        const direct = await presentDirect(world, app, presented, '/api/invoices');
        const forwarded = await presentForwarded(app, proxy, presented.leafPem, '/api/invoices');
        expect(direct.verdict, 'direct').toBe('MTLS_CERT_UNTRUSTED');
        expect(
          { verdict: forwarded.verdict, commonName: forwarded.body.commonName },
          'forwarded',
        ).toEqual({ verdict: 'MTLS_CERT_UNTRUSTED', commonName: undefined });
      },
    );
  });

  describe('a leaf the handshake accepts is accepted on every way', () => {
    it.each(ACCEPTED)('%s', async (_, make) => {
      const presented = make();
      const a = await askAll(servers, doctor, presented);
      const openssl = await opensslSays(world, world.bundlePem, presented);
      expect(openssl, 'OpenSSL').toBe('OK');
      expect(a.directLeaf, 'direct').toBe('accepted');
      expectParity(a, openssl);
    });
  });

  describe('RFC 3779 resources: OpenSSL accepts them, the service refuses them on every way', () => {
    it.each(RESOURCES)('%s', async (_, make) => {
      const presented = make();
      const a = await askAll(servers, doctor, presented);
      expect(await opensslSays(world, world.bundlePem, presented), 'OpenSSL').toBe('OK');
      expect(a).toMatchObject({
        directLeaf: 'MTLS_CERT_UNTRUSTED',
        forwarded: 'MTLS_CERT_UNTRUSTED',
        doctorForwarded: 'MTLS_CERT_UNTRUSTED',
      });
    });
  });

  describe('a key no handshake can use is refused on every way', () => {
    it.each([
      ['a secp256k1 leaf key (no TLS signature scheme)', 'secp256k1'],
      ['an X25519 leaf key (cannot sign)', 'x25519'],
    ] as const)('%s', async (_, kind) => {
      const pair =
        kind === 'x25519'
          ? generateKeyPairSync('x25519')
          : generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      const presented = leafUnder(world, 'root-ec', { key: customKey('p-256', pair) });
      const a = await askAll(servers, doctor, presented);
      expect(a.directLeaf).toBe('tls-failure');
      // trust-parity's same(): a handshake that fails must be a refusal on every other way too.
      expect(a.forwarded, 'forwarded').not.toBe('accepted');
      expect(a.doctorForwarded, 'doctor').not.toBe('accepted');
    });
  });

  describe('a signature algorithm that does not read: refused, and the doctor says so', () => {
    const cases: [string, () => Presented][] = [
      [
        // OpenSSL cannot read these PSS parameters: the signature does not verify.
        'RSASSA-PSS parameters { [0] empty, [1] 06 84 7f ff } (OpenSSL: bad signature)',
        () => {
          const ca = world.ca('root-rsa');
          const key = world.keys.get('p-256', 0);
          const leaf = rawCertificate({
            subject: dn('O=Forge, CN=billing-service'),
            issuerName: ca.certificate.subjectName,
            spki: key.spki,
            algorithm: sequence(oid('1.2.840.113549.1.1.10'), hex('3008 a000 a104 06847fff')),
            extensions: [
              subjectKeyIdentifier(key.keyId),
              authorityKeyIdentifier({ keyId: ca.certificate.subjectKeyId }),
              ...clientAuth(),
            ],
            sign: (tbs) => sign('sha256', tbs, ca.key.privateKey),
          });
          return { leafPem: leaf.pem, keyPem: key.privatePem, sentPems: [] };
        },
      ],
    ];
    it.each(cases)('%s', async (_, make) => {
      const presented = make();
      const a = await askAll(servers, doctor, presented);
      expect(a.directLeaf, 'direct').toBe('MTLS_CERT_UNTRUSTED');
      const file = join(pki.dir, `attack-${Math.random().toString(36).slice(2)}.crt`);
      writeFileSync(file, presented.leafPem);
      const { output, status } = await runDoctor(
        [file, '--json'],
        {
          HTTP_ADAPTER: adapter,
          TLS_CERT_FILE: pki.server.certFile,
          TLS_KEY_FILE: pki.server.keyFile,
          MTLS_CA_FILE: pki.write('attack-world-bundle.crt', world.bundlePem),
          MTLS_TRUSTED_PROXY_IDENTITIES: 'trusted-proxy',
          OUTBOUND_CERT_FILE: pki.clients.gateway.certFile,
          OUTBOUND_KEY_FILE: pki.clients.gateway.keyFile,
          OUTBOUND_CA_FILE: pki.caFile,
          LOG_LEVEL: 'silent',
        },
        { features: [FixtureRoutesModule] },
      );
      expect({ forwarded: a.forwarded, doctorStatus: status }, output).toEqual({
        forwarded: 'MTLS_CERT_UNTRUSTED',
        doctorStatus: 1,
      });
    });
  });
});

// ---- Other bundles and CRLs (express only: the adapters share this code).

const dir = mkdtempSync(join(tmpdir(), 'trust-attacks-'));
const rsa = world.ca('root-rsa');
const ec = world.ca('root-ec');
/** root-rsa issues the trusted proxy's certificate: every bundle below keeps it. */
const small = rsa.certificate.pem + ec.certificate.pem;
const now = Date.now();
const current = { thisUpdate: new Date(now - HOUR), nextUpdate: new Date(now + 7 * DAY) };
const rsaCrl = forgeCrl({ issuer: rsa, ...current });

/** The service and the doctor with `bundle` (and `crl`); every way asked about `presented`. */
async function withTrust(
  bundle: string,
  crl: string | undefined,
  presented: Presented,
  path = '/api/whoami',
): Promise<{ a: Answers; openssl: string }> {
  const env: Record<string, string> = {};
  if (crl !== undefined) {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.crl`);
    writeFileSync(file, crl);
    env.MTLS_CRL_FILE = file;
  }
  const servers = await startWorldServers(pki, { ...world, bundlePem: bundle }, ['express'], env);
  try {
    const a = await askAll(servers, doctorFor(bundle, crl), presented, path);
    return { a, openssl: await opensslSays(world, bundle, presented, crl) };
  } finally {
    await servers.close();
  }
}

describe('trust attacks, revocation (MTLS_CRL_FILE)', () => {
  const serial = (h: string) => ({ spec: { serial: hex(h) } });

  it('a revoked leaf with a negative serial is refused on every way (GET /api/invoices)', async () => {
    const leaf = leafUnder(world, 'root-ec', { spec: { serial: -5n } });
    const crl = rsaCrl + forgeCrl({ issuer: ec, ...current, revoked: [{ serial: hex('fb') }] });
    const { a, openssl } = await withTrust(small, crl, leaf, '/api/invoices');
    expect(openssl).toBe('CERT_REVOKED');
    expect(a.directLeaf).toBe('MTLS_CERT_REVOKED');
    expectParity(a, openssl);
  }, 60_000);

  it('a good leaf with serial 00 FB (+251) is accepted when the CRL revokes serial FB (-5)', async () => {
    const leaf = leafUnder(world, 'root-ec', { spec: { serial: 0xfbn } });
    const crl = rsaCrl + forgeCrl({ issuer: ec, ...current, revoked: [{ serial: hex('fb') }] });
    const { a, openssl } = await withTrust(small, crl, leaf);
    expect(openssl).toBe('OK');
    expectParity(a, openssl);
  }, 60_000);

  it('two CRLs of one CA, newest first: the newest decides, on every way', async () => {
    // x509_vfy.c get_crl_sk: of equal scores, the one with the latest thisUpdate.
    const leaf = leafUnder(world, 'root-ec', serial('0a0b0c0e'));
    const newer = forgeCrl({ issuer: ec, ...current, revoked: [{ serial: hex('0a0b0c0e') }] });
    const older = forgeCrl({
      issuer: ec,
      thisUpdate: new Date(now - 2 * DAY),
      nextUpdate: new Date(now + 5 * DAY),
    });
    const { a, openssl } = await withTrust(small, rsaCrl + newer + older, leaf);
    expect(openssl).toBe('CERT_REVOKED');
    expectParity(a, openssl);
  }, 60_000);

  it('a user CRL then a CA-only CRL (issuingDistributionPoint onlyContainsCACerts): the user CRL decides', async () => {
    // get_crl_score: IDP_ONLYCA gives a leaf score 0.
    const leaf = leafUnder(world, 'root-ec', serial('0a0b0c0f'));
    const users = forgeCrl({ issuer: ec, ...current, revoked: [{ serial: hex('0a0b0c0f') }] });
    const cas = forgeCrl({
      issuer: ec,
      ...current,
      extensions: [extensionDer('2.5.29.28', true, hex('3003 8201ff'))],
    });
    const { a, openssl } = await withTrust(small, rsaCrl + users + cas, leaf);
    expect(openssl).toBe('CERT_REVOKED');
    expectParity(a, openssl);
  }, 60_000);

  it.each([
    [
      'only a CA-only CRL for the leaf',
      [extensionDer('2.5.29.28', true, hex('3003 8201ff'))],
      'UNABLE_TO_GET_CRL',
    ],
    [
      'a CRL with an unknown critical extension',
      [extensionDer('1.3.6.1.4.1.55555.9', true, hex('0500'))],
      'UNSPECIFIED',
    ],
  ] as const)(
    '%s: refused on every way',
    async (_, extensions, handshake) => {
      const leaf = leafUnder(world, 'root-ec', serial('0a0b0c10'));
      const crl = rsaCrl + forgeCrl({ issuer: ec, ...current, extensions: [...extensions] });
      const { a, openssl } = await withTrust(small, crl, leaf);
      expect(openssl).toBe(handshake);
      expectParity(a, openssl);
    },
    60_000,
  );

  it.each([
    ['thisUpdate', 'utc-offset', 'ERROR_IN_CRL_LAST_UPDATE_FIELD'],
    ['thisUpdate', 'generalized-fraction', 'ERROR_IN_CRL_LAST_UPDATE_FIELD'],
    ['nextUpdate', 'utc-leap-second', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD'],
  ] as const)(
    "a CRL whose %s is not in RFC 5280's form (%s): the service does not start, and says why",
    async (field, encoding, handshake) => {
      // x509_vfy.c check_crl_time: X509_cmp_time refuses the time, so OpenSSL never takes the CRL
      // as current. The service started with it, then crashed listing its CRLs (a thisUpdate read
      // as an Invalid Date), or listed a malformed nextUpdate as none (a CRL that never expires).
      const leaf = leafUnder(world, 'root-ec', serial('0a0b0c12'));
      const times = { thisUpdate: new Date(now - HOUR), nextUpdate: new Date(now + 7 * DAY) };
      const bad = forgeRevocationList({
        issuer: ec,
        ...times,
        [field]: { date: times[field], encoding },
      }).pem;
      expect(await opensslSays(world, small, leaf, rsaCrl + bad, { unchecked: true })).toBe(
        handshake,
      );
      const why = new RegExp(`CRL 2: its ${field} "[^"]+" is not a time in RFC 5280's form`);
      expect(() => resolveTrust(small, rsaCrl + bad)).toThrow(why);
      await expect(withTrust(small, rsaCrl + bad, leaf)).rejects.toThrow(why);
    },
    60_000,
  );

  it('only a delta CRL for a CA: the service does not start, and says why', () => {
    // OpenSSL 3.5.9 scores a delta CRL 0 without extended CRL support: every handshake through
    // that CA would fail with UNABLE_TO_GET_CRL.
    const delta = forgeCrl({
      issuer: ec,
      ...current,
      extensions: [
        extensionDer('2.5.29.20', false, hex('020105')),
        extensionDer('2.5.29.27', true, hex('020104')),
      ],
    });
    expect(() => resolveTrust(small, rsaCrl + delta)).toThrow(/only a delta CRL from .*root-ec/);
  });

  it('an entry with reasonCode removeFromCRL revokes nothing, on every way', async () => {
    // x509_vfy.c cert_crl: CRL_REASON_REMOVE_FROM_CRL is not a revocation.
    const leaf = leafUnder(world, 'root-ec', serial('0a0b0c11'));
    const crl =
      rsaCrl +
      forgeCrl({
        issuer: ec,
        ...current,
        revoked: [
          {
            serial: hex('0a0b0c11'),
            extensions: [extensionDer('2.5.29.21', false, hex('0a0108'))],
          },
        ],
      });
    const { a, openssl } = await withTrust(small, crl, leaf);
    expect(openssl).toBe('OK');
    expectParity(a, openssl);
  }, 60_000);

  it.each([
    [
      'a renewed root (two certificates, one Name and key) with one CRL',
      ['renewed-root', 'renewed-root-expired'],
      ['renewed-root'],
    ],
    ['an Ed448 root with its CRL', ['root-ed448'], ['root-ed448']],
  ] as const)(
    '%s: the service starts with what Node starts with, and accepts what it accepts',
    async (_, labels, withCrl) => {
      const bundle = rsa.certificate.pem + labels.map((l) => world.ca(l).certificate.pem).join('');
      const crl =
        rsaCrl + withCrl.map((l) => forgeCrl({ issuer: world.ca(l), ...current })).join('');
      const leaf = leafUnder(world, labels[0]);
      expect(await opensslSays(world, bundle, leaf, crl)).toBe('OK');
      const { a, openssl } = await withTrust(bundle, crl, leaf);
      expect(a.directLeaf).toBe('accepted');
      expectParity(a, openssl);
    },
    60_000,
  );
});

describe('trust attacks, other bundles', () => {
  it.skipIf(!ML_DSA)(
    'an ML-DSA-44 root in the bundle: its leaves are accepted on every way',
    async () => {
      // ossl_x509_likely_issued's check_sig_alg_match: id-ml-dsa-44 signatures need an ML-DSA-44 key.
      const pair = generateKeyPairSync('ml-dsa-44' as 'ed25519');
      const caKey = customKey('ed25519', pair);
      const name = encodeName(dn('O=Forge, CN=Forge ML-DSA root'));
      const algorithm = sequence(oid('2.16.840.1.101.3.4.3.17'));
      const root = rawCertificate({
        subject: dn('O=Forge, CN=Forge ML-DSA root'),
        issuerName: name,
        spki: caKey.spki,
        algorithm,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 365 * DAY),
        extensions: [
          subjectKeyIdentifier(caKey.keyId),
          basicConstraints({ ca: true }),
          keyUsage(['keyCertSign', 'cRLSign']),
        ],
        sign: (tbs) => sign(null, tbs, pair.privateKey),
      });
      const key = world.keys.get('p-256', 0);
      const leaf = rawCertificate({
        subject: dn('O=Forge, CN=billing-service'),
        issuerName: name,
        spki: key.spki,
        algorithm,
        extensions: [
          subjectKeyIdentifier(key.keyId),
          authorityKeyIdentifier({ keyId: caKey.keyId }),
          ...clientAuth(),
        ],
        sign: (tbs) => sign(null, tbs, pair.privateKey),
      });
      const { a, openssl } = await withTrust(small + root.pem, undefined, {
        leafPem: leaf.pem,
        keyPem: key.privatePem,
        sentPems: [],
      });
      expect(openssl).toBe('OK');
      expectParity(a, openssl);
    },
    60_000,
  );

  it('a TRUSTED CERTIFICATE (aux trust clientAuth) in the bundle: the service does not start, and says how to fix it', () => {
    // Node reads the `ca` PEM with PEM_read_bio_X509_AUX; x509_vfy.c check_trust: an explicitly
    // trusted certificate ends the path (X509_TRUST_TRUSTED), no root needed.
    const inter = world.ca('sendable-1');
    const aux = hex('300c 300a 06082b06010505070302');
    const b64 = Buffer.concat([inter.certificate.der, aux])
      .toString('base64')
      .replace(/(.{64})/g, '$1\n');
    const trusted = `-----BEGIN TRUSTED CERTIFICATE-----\n${b64}\n-----END TRUSTED CERTIFICATE-----\n`;
    expect(() => resolveTrust(small + trusted, undefined)).toThrow(
      /TRUSTED CERTIFICATE.*openssl x509 -in/,
    );
    const old = (small.split('-----END CERTIFICATE-----')[0] ?? '').replaceAll(
      'BEGIN CERTIFICATE',
      'BEGIN X509 CERTIFICATE',
    );
    expect(() => resolveTrust(`${old}-----END X509 CERTIFICATE-----\n${small}`, undefined)).toThrow(
      /X509 CERTIFICATE.*relabel/,
    );
  });
});
