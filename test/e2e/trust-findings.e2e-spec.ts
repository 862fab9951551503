import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicConstraints,
  createWorld,
  dn,
  extKeyUsage,
  forgeCertificate,
  keyUsage,
  nameConstraints,
  neededChain,
  netscapeCertType,
  subjectAltName,
  type CertificateSpec,
  type KeyKind,
  type NameInput,
  type TimeSpec,
  type World,
  type WorldCa,
} from '../../packages/nest-mtls-auth/test/support/forge/index.js';
import { securityLevelOf } from '../../packages/nest-mtls-auth/src/tls/security-level.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  presentDirect,
  presentForwarded,
  startWorldServers,
  type Answer,
  type Presented,
  type WorldServers,
} from '../support/trust-parity.js';
import { FixtureRoutesModule } from '../support/fixture-routes.js';

/**
 * Each finding of the review that proved trust could differ between the handshake and a trusted
 * proxy's header, or that an identity pattern could be fooled, as a named case on both adapters
 * and both ways. The generated differential test (trust-parity) covers the space; these pin the
 * cases that were seen to go wrong.
 */
const pki = useTestPki();
const world: World = createWorld(20261204);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const KELVIN = '\u212A';

interface LeafOptions {
  readonly subject?: NameInput;
  readonly key?: KeyKind;
  readonly notBefore?: TimeSpec;
  readonly notAfter?: TimeSpec;
  readonly extensions?: CertificateSpec['extensions'];
  readonly signature?: CertificateSpec['signature'];
  /** CAs sent after the leaf; by default what the path needs outside the bundle. */
  readonly sent?: readonly string[];
}

/** A client certificate under world CA `label`: billing-service with clientAuth, unless told. */
function leafUnder(label: string, o: LeafOptions = {}): Presented {
  const ca: WorldCa = world.ca(label);
  const key = world.keys.get(o.key ?? 'p-256', 0);
  const leaf = forgeCertificate({
    subject: o.subject ?? dn('O=Forge, CN=billing-service'),
    subjectKey: key,
    issuer: { certificate: ca.certificate, key: ca.key },
    notBefore: o.notBefore ?? new Date(Date.now() - HOUR),
    notAfter: o.notAfter ?? new Date(Date.now() + 30 * DAY),
    signature: o.signature,
    extensions: o.extensions ?? [
      basicConstraints({ ca: false }),
      keyUsage(['digitalSignature']),
      extKeyUsage(['clientAuth']),
    ],
  });
  return {
    leafPem: leaf.pem,
    keyPem: key.privatePem,
    sentPems: o.sent ?? neededChain(ca).map((c) => c.certificate.pem),
  };
}

const clientAuth = (...more: NonNullable<CertificateSpec['extensions']>) => [
  basicConstraints({ ca: false }),
  keyUsage(['digitalSignature']),
  extKeyUsage(['clientAuth']),
  ...more,
];

describe.each(['express', 'fastify'] as const)('trust findings, on %s', (adapter) => {
  let servers: WorldServers;
  beforeAll(async () => {
    servers = await startWorldServers(pki, world, [adapter]);
  }, 60_000);
  afterAll(() => servers.close());

  const both = async (presented: Presented, path = '/api/whoami') => {
    const { app, proxy } = servers.apps[0] as WorldServers['apps'][number];
    const direct = await presentDirect(world, app, presented, path);
    const forwarded = await presentForwarded(app, proxy, presented.leafPem, path);
    return { direct, forwarded };
  };
  const expectBoth = (answers: { direct: Answer; forwarded: Answer }, verdict: string) => {
    expect(answers.direct.verdict, 'direct').toBe(verdict);
    expect(answers.forwarded.verdict, 'forwarded').toBe(verdict);
  };

  describe('refused both ways where the handshake refuses', () => {
    it('an RSA-1024 leaf: refused at security level 2 (Node 24 and later), accepted at 1 (Node 22)', async () => {
      const verdict = securityLevelOf() >= 2 ? 'MTLS_CERT_UNTRUSTED' : 'accepted';
      expectBoth(await both(leafUnder('root-ec', { key: 'rsa-1024' })), verdict);
    });

    it('an RSA-512 leaf: the handshake cannot complete, the proxy path refuses', async () => {
      const { direct, forwarded } = await both(leafUnder('root-ec', { key: 'rsa-512' }));
      expect(direct.verdict).not.toBe('accepted');
      expect(forwarded.verdict).toBe('MTLS_CERT_UNTRUSTED');
    });

    it('a SHA-1-signed leaf', async () => {
      const sha1 = leafUnder('root-rsa', { signature: { digest: 'sha1' } });
      expectBoth(await both(sha1), 'MTLS_CERT_UNTRUSTED');
    });

    it('clientAuth in extended key usage, but Netscape cert type sslServer only', async () => {
      const leaf = leafUnder('root-ec', {
        extensions: clientAuth(netscapeCertType(['sslServer'])),
      });
      expectBoth(await both(leaf), 'MTLS_CERT_INVALID_USAGE');
    });

    it('a UTCTime with a +0130 offset', async () => {
      const offset = leafUnder('root-ec', {
        notBefore: { date: new Date(Date.now() - DAY), encoding: 'utc-offset' },
      });
      expectBoth(await both(offset), 'MTLS_CERT_UNTRUSTED');
    });

    it('a GeneralizedTime with fractional seconds', async () => {
      const fraction = leafUnder('root-ec', {
        notAfter: { date: new Date(Date.now() + 30 * DAY), encoding: 'generalized-fraction' },
      });
      expectBoth(await both(fraction), 'MTLS_CERT_UNTRUSTED');
    });
  });

  describe('accepted both ways where the handshake accepts', () => {
    it('a leaf under ten intermediates of the bundle', async () => {
      expectBoth(await both(leafUnder('deep-10')), 'accepted');
    });

    it('an intermediate with critical policyConstraints, or critical inhibitAnyPolicy', async () => {
      expectBoth(await both(leafUnder('policy-constraints-critical')), 'accepted');
      expectBoth(await both(leafUnder('inhibit-any-critical')), 'accepted');
    });

    it('name constraints the leaf satisfies', async () => {
      const inside = leafUnder('nc-dns', {
        subject: dn('O=Forge, CN=api.good.example'),
        extensions: clientAuth(subjectAltName([{ dns: 'api.good.example' }])),
      });
      expectBoth(await both(inside), 'accepted');
    });

    it('a leaf that carries a name-constraints extension itself', async () => {
      const leaf = leafUnder('root-ec', {
        extensions: clientAuth(nameConstraints({ permitted: [{ dns: '.example' }] })),
      });
      expectBoth(await both(leaf), 'accepted');
    });

    it('a leaf sent with twenty intermediates (directly; a proxy forwards the leaf alone)', async () => {
      let parent = world.ca('root-ec');
      const sent: string[] = [];
      let issuer = { certificate: parent.certificate, key: parent.key };
      for (let i = 1; i <= 20; i++) {
        const key = world.keys.get('p-256', i % 2);
        const certificate = forgeCertificate({
          subject: dn(`O=Forge, CN=Forge Sent ${i}`),
          subjectKey: key,
          issuer,
          notBefore: new Date(Date.now() - DAY),
          notAfter: new Date(Date.now() + 90 * DAY),
          extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
        });
        sent.unshift(certificate.pem);
        issuer = { certificate, key };
      }
      parent = { ...parent, certificate: issuer.certificate, key: issuer.key };
      const key = world.keys.get('p-256', 0);
      const leaf = forgeCertificate({
        subject: dn('O=Forge, CN=billing-service'),
        subjectKey: key,
        issuer,
        notBefore: new Date(Date.now() - HOUR),
        notAfter: new Date(Date.now() + 30 * DAY),
        extensions: clientAuth(),
      });
      const { direct, forwarded } = await both({
        leafPem: leaf.pem,
        keyPem: key.privatePem,
        sentPems: sent,
      });
      expect(direct.verdict).toBe('accepted');
      expect(forwarded.verdict).toBe('MTLS_CERT_UNTRUSTED');
    });
  });

  describe('a common name outside the DNS name constraints of its path names nobody', () => {
    it.each(['nc-dns', 'nc-dns-excluded'])(
      'CN=billing-service, no SAN, under %s: trusted, but neither billing-service nor a CN',
      async (label) => {
        const leaf = leafUnder(label);
        const whoami = await both(leaf);
        expectBoth(whoami, 'accepted');
        expect(whoami.direct.body.commonName).toBeNull();
        expect(whoami.forwarded.body.commonName).toBeNull();
        expectBoth(await both(leaf, '/api/invoices'), 'MTLS_SERVICE_FORBIDDEN');
      },
    );

    it('the same certificate under an unconstrained CA is billing-service', async () => {
      const leaf = leafUnder('root-ec');
      expectBoth(await both(leaf, '/api/invoices'), 'accepted');
    });
  });

  describe('identity patterns that cannot be fooled', () => {
    it(`a CN spelled with the Kelvin sign is not kafka-service`, async () => {
      const leaf = leafUnder('root-ec', { subject: dn(`O=Forge, CN=${KELVIN}afka-service`) });
      expectBoth(await both(leaf, '/api/kafka'), 'MTLS_SERVICE_FORBIDDEN');
    });

    it('a SPIFFE ID with a ".." segment is no SPIFFE ID', async () => {
      const leaf = leafUnder('root-ec', {
        subject: dn('O=Forge, CN=sneaky'),
        extensions: clientAuth(
          subjectAltName([{ uri: 'spiffe://example.org/ns/prod/../admin/sa/x' }]),
        ),
      });
      const whoami = await both(leaf);
      expect(whoami.direct.body.spiffeId).toBeNull();
      expect(whoami.forwarded.body.spiffeId).toBeNull();
      expectBoth(await both(leaf, '/api/prod'), 'MTLS_SERVICE_FORBIDDEN');
    });
  });
});

describe('the doctor examines what the service answers', () => {
  let servers: WorldServers;
  beforeAll(async () => {
    servers = await startWorldServers(pki, world, ['express']);
  }, 60_000);
  afterAll(() => servers.close());

  const env = () => ({
    HTTP_ADAPTER: 'express',
    TLS_CERT_FILE: pki.server.certFile,
    TLS_KEY_FILE: pki.server.keyFile,
    MTLS_CA_FILE: pki.write('world-bundle.crt', world.bundlePem),
    MTLS_TRUSTED_PROXY_IDENTITIES: 'trusted-proxy',
    OUTBOUND_CERT_FILE: pki.clients.gateway.certFile,
    OUTBOUND_KEY_FILE: pki.clients.gateway.keyFile,
    OUTBOUND_CA_FILE: pki.caFile,
    LOG_LEVEL: 'silent',
  });

  it.each([
    [
      'a BER indefinite-length subject',
      { subject: { ...dn('O=Forge, CN=billing-service'), indefiniteLength: true } },
    ],
    [
      'a leap second in notAfter',
      { notAfter: { date: new Date(Date.now() + 30 * DAY), encoding: 'generalized-leap-second' } },
    ],
    [
      'UniversalString noncharacters (U+FFFE, U+10FFFF)',
      {
        subject: {
          rdns: [
            [
              {
                type: 'CN',
                value: '',
                stringType: 'universal',
                codePoints: [0x62, 0xfffe, 0x10ffff],
              },
            ],
          ],
        },
      },
    ],
  ] as const)(
    '%s: an answer that agrees with the service, never "cannot examine"',
    async (_, o) => {
      const leaf = leafUnder('root-ec', o);
      const { app } = servers.apps[0] as WorldServers['apps'][number];
      const served = await presentDirect(world, app, leaf);
      const file = join(pki.dir, `doctor-${Math.random().toString(36).slice(2)}.crt`);
      writeFileSync(file, leaf.leafPem);
      const { output, status } = await runDoctor([file, '--json'], env(), {
        features: [FixtureRoutesModule],
      });
      expect(status, output).not.toBe(2);
      const report = JSON.parse(output) as DoctorReport;
      expect(report.code ?? 'accepted').toBe(served.verdict);
    },
  );
});
