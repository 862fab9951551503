import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicConstraints,
  caseArbitrary,
  certificatePolicies,
  createWorld,
  dn,
  extKeyUsage,
  forgeCertificate,
  inhibitAnyPolicy,
  keyUsage,
  KeyPool,
  nameConstraints,
  neededChain,
  netscapeCertType,
  OID_ANY_POLICY,
  oidContent,
  policyConstraints,
  readChildren,
  readElement,
  sharedKeyPool,
  signatureAlgorithm,
  subjectAltName,
  unknownExtension,
  type CertificateSpec,
  type DerElement,
  type Digest,
  type ForgedCertificate,
  type KeyKind,
  type TimeEncoding,
  type World,
} from '../support/forge/index.js';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();
const validity = { notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) };
const keys = sharedKeyPool;

/** The TBS fields of a certificate, read back from its bytes. */
function fields(der: Buffer) {
  const [tbs, outerAlgorithm, signature] = readChildren(readElement(der));
  const all = readChildren(tbs as DerElement);
  const version = all[0]?.tag === 0xa0 ? all.shift() : undefined;
  const [serial, innerAlgorithm, issuer, validityEl, subject, spki, ...rest] = all;
  const extensionsEl = rest.find((e) => e.tag === 0xa3);
  const extensions = extensionsEl
    ? readChildren(readChildren(extensionsEl)[0] as DerElement).map((e) => readChildren(e))
    : [];
  return {
    tbs: tbs as DerElement,
    version,
    serial: serial as DerElement,
    innerAlgorithm: innerAlgorithm as DerElement,
    issuer: issuer as DerElement,
    validity: readChildren(validityEl as DerElement),
    subject: subject as DerElement,
    spki: spki as DerElement,
    extensions,
    outerAlgorithm: outerAlgorithm as DerElement,
    signature: signature as DerElement,
  };
}

/** The raw bytes of an element (header and content), from the buffer it was read out of. */
const bytesOf = (der: Buffer, e: DerElement): Buffer => der.subarray(e.start, e.end);

const text = (pem: string): string =>
  execFileSync('openssl', ['x509', '-noout', '-text', '-nameopt', 'oneline'], {
    input: pem,
    encoding: 'utf8',
  });

/** A CA and its key as an issuer for forgeCertificate. */
function rootCa(kind: KeyKind = 'p-256', slot = 0, extra: Partial<CertificateSpec> = {}) {
  const key = keys.get(kind, slot);
  const certificate = forgeCertificate({
    subject: dn('C=US, O=Forge Test, CN=Forge Test Root'),
    subjectKey: key,
    ...validity,
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
    ...extra,
  });
  return { certificate, key };
}

describe('forgeCertificate', () => {
  it('makes certificates Node parses and OpenSSL prints as the spec says', () => {
    const root = rootCa('rsa-2048', 0, {
      extensions: [
        basicConstraints({ ca: true, pathLen: 1 }),
        keyUsage(['keyCertSign', 'cRLSign']),
        nameConstraints({
          permitted: [{ dns: '.good.example' }, { ip: '10.0.0.0/8' }, { email: 'good.example' }],
          excluded: [{ dns: 'billing-service' }, { directoryName: 'O=Evil' }],
        }),
        netscapeCertType(['sslCA']),
        certificatePolicies([OID_ANY_POLICY]),
        policyConstraints({ requireExplicitPolicy: 0 }),
        inhibitAnyPolicy(1),
      ],
    });
    const leafKey = keys.get('p-384', 0);
    const leaf = forgeCertificate({
      serial: 0x1234n,
      subject: dn('O=Forge Test, OU=services, CN=billing-service'),
      subjectKey: leafKey,
      issuer: root,
      ...validity,
      signature: { digest: 'sha384' },
      extensions: [
        basicConstraints({ ca: false }),
        keyUsage(['digitalSignature']),
        extKeyUsage(['clientAuth', '1.3.6.1.4.1.55555.4.1']),
        netscapeCertType(['sslClient', 'smime']),
        subjectAltName([
          { dns: 'api.good.example' },
          { uri: 'spiffe://example.test/ns/prod/sa/billing' },
          { email: 'billing@good.example' },
          { ip: '10.1.2.3' },
          { ip: '2001:db8::1' },
        ]),
        unknownExtension(false),
      ],
    });

    expect(root.certificate.x509?.ca).toBe(true);
    expect(leaf.x509?.subject).toBe('O=Forge Test\nOU=services\nCN=billing-service');
    expect(leaf.x509?.serialNumber).toBe('1234');
    expect(leaf.x509?.checkIssued(root.certificate.x509 as X509Certificate)).toBe(true);
    expect(leaf.x509?.verify(root.key.publicKey)).toBe(true);
    expect(leaf.x509?.subjectAltName).toContain('IP Address:2001:DB8:0:0:0:0:0:1');

    const rootText = text(root.certificate.pem);
    expect(rootText).toContain('CA:TRUE, pathlen:1');
    expect(rootText).toMatch(
      /Permitted:\s+DNS:\.good\.example\s+IP:10\.0\.0\.0\/255\.0\.0\.0\s+email:good\.example/,
    );
    expect(rootText).toMatch(/Excluded:\s+DNS:billing-service\s+DirName:\s*O = Evil/);
    expect(rootText).toMatch(/Netscape Cert Type: \n\s+SSL CA/);
    expect(rootText).toContain('Require Explicit Policy:0');
    expect(rootText).toMatch(/Inhibit Any Policy: critical\s+1/);
    expect(rootText).toContain('Signature Algorithm: sha256WithRSAEncryption');
    const leafText = text(leaf.pem);
    expect(leafText).toContain('Signature Algorithm: sha384WithRSAEncryption');
    expect(leafText).toContain('Serial Number: 4660 (0x1234)');
    expect(leafText).toContain('Public-Key: (384 bit)');
    expect(leafText).toContain('TLS Web Client Authentication, 1.3.6.1.4.1.55555.4.1');
    expect(leafText).toMatch(/Netscape Cert Type: \n\s+SSL Client, S\/MIME/);
    expect(leafText).toContain(
      `X509v3 Authority Key Identifier: \n                ${hexColons(root.certificate.subjectKeyId)}`,
    );
    expect(leafText).toContain(
      `X509v3 Subject Key Identifier: \n                ${hexColons(leafKey.keyId)}`,
    );
  });

  it('signs with every algorithm, which Node verifies and OpenSSL names', () => {
    const digests: Digest[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
    const made: Array<[string, ForgedCertificate, KeyKind]> = [];
    for (const d of digests) {
      made.push([`${d}WithRSAEncryption`, selfSigned('rsa-2048', { digest: d }), 'rsa-2048']);
      made.push([`ecdsa-with-${d.toUpperCase()}`, selfSigned('p-256', { digest: d }), 'p-256']);
    }
    made.push(['rsassaPss', selfSigned('rsa-2048', { pss: true }), 'rsa-2048']);
    made.push(['ED25519', selfSigned('ed25519'), 'ed25519']);
    made.push(['ED448', selfSigned('ed448'), 'ed448']);
    for (const [name, cert, kind] of made) {
      expect(cert.x509?.verify(keys.get(kind, 0).publicKey), name).toBe(true);
      expect(text(cert.pem), name).toContain(`Signature Algorithm: ${name}`);
    }
    expect(text(made.find(([n]) => n === 'rsassaPss')?.[1].pem ?? '')).toMatch(
      /Hash Algorithm: sha256\s+Mask Algorithm: mgf1 with sha256\s+Salt Length: 0x20/,
    );
  });

  it('writes hostile encodings exactly as asked', () => {
    const key = keys.get('p-256', 0);
    const cert = forgeCertificate({
      version: 3,
      serial: -129n,
      subject: {
        indefiniteLength: true,
        rdns: [
          [{ type: 'C', value: 'US' }],
          [{ type: 'O', value: 'Forge', stringType: 'teletex' }],
          [{ type: 'OU', value: 'Ω', stringType: 'bmp' }],
          [{ type: 'CN', value: 'x', stringType: 'universal', codePoints: [0x78, 0x110000] }],
          [{ type: 'L', value: 'v', stringType: 'visible' }],
          [{ type: 'ST', value: 'i', stringType: 'ia5' }],
        ],
      },
      subjectKey: key,
      notBefore: { date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), encoding: 'utc-offset' },
      notAfter: {
        date: new Date(Date.UTC(2049, 11, 31, 23, 59, 59, 120)),
        encoding: 'generalized-fraction',
      },
      innerAlgorithm: signatureAlgorithm(key, { digest: 'sha256' }),
      outerAlgorithm: signatureAlgorithm(key, { digest: 'sha512' }),
      extensions: [
        basicConstraints({ ca: true, pathLen: -1 }),
        keyUsage([]),
        { ...unknownExtension(false), explicitFalse: true },
      ],
    });
    const f = fields(cert.der);
    const tbs = f.tbs.content;
    expect(f.serial.content).toEqual(Buffer.from([0xff, 0x7f]));
    expect(f.validity.map((t) => [t.tag, t.content.toString('latin1')])).toEqual([
      [0x17, '260102043405+0130'],
      [0x18, '20491231235959.120Z'],
    ]);
    const subject = bytesOf(tbs, f.subject);
    expect(subject.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]));
    expect(subject.subarray(-2)).toEqual(Buffer.from([0, 0]));
    expect(f.subject.length).toBe(-1);
    // Each RDN SET is indefinite too; read the attribute values' tags and bytes.
    const values = readChildren(f.subject).map((rdn) => {
      expect(rdn.length).toBe(-1);
      const [, value] = readChildren(readChildren(rdn)[0] as DerElement);
      return [value?.tag, value?.content.toString('hex')];
    });
    expect(values).toEqual([
      [0x13, '5553'],
      [0x14, '466f726765'],
      [0x1e, '03a9'],
      [0x1c, '0000007800110000'],
      [0x1a, '76'],
      [0x16, '69'],
    ]);
    // The TBS says ECDSA with SHA-256, the outer AlgorithmIdentifier ECDSA with SHA-512.
    expect(f.innerAlgorithm.content).toEqual(
      readElement(signatureAlgorithm(key, { digest: 'sha256' })).content,
    );
    expect(f.outerAlgorithm.content).toEqual(
      readElement(signatureAlgorithm(key, { digest: 'sha512' })).content,
    );
    const ext = (oid: string) =>
      f.extensions.find((e) => (e[0] as DerElement).content.equals(oidContent(oid)));
    const bc = ext('2.5.29.19') as DerElement[];
    expect(bc[2]?.content.toString('hex')).toBe('30060101ff0201ff');
    expect((ext('2.5.29.15') as DerElement[])[2]?.content.toString('hex')).toBe('030100');
    const unknown = ext('1.3.6.1.4.1.55555.1.1') as DerElement[];
    expect(unknown[1]?.tag).toBe(0x01);
    expect(unknown[1]?.content).toEqual(Buffer.from([0]));
  });

  it('writes every time encoding and serial form byte for byte', () => {
    const key = keys.get('p-256', 0);
    const at = new Date(Date.UTC(2050, 5, 7, 8, 9, 10));
    const times = (encoding: TimeEncoding) => timeOf(key, encoding, at);
    expect(times('auto')).toEqual([0x18, '20500607080910Z']);
    expect(times('utc')).toEqual([0x17, '500607080910Z']);
    expect(times('generalized')).toEqual([0x18, '20500607080910Z']);
    expect(times('utc-no-seconds')).toEqual([0x17, '5006070809Z']);
    expect(times('utc-leap-second')).toEqual([0x17, '500607235960Z']);
    expect(times('generalized-leap-second')).toEqual([0x18, '20500607235960Z']);
    expect(times('utc-feb-30')).toEqual([0x17, '500230080910Z']);
    expect(times('generalized-feb-30')).toEqual([0x18, '20500230080910Z']);
    const serial = (s: CertificateSpec['serial']) =>
      fields(
        forgeCertificate({ serial: s, subject: 'CN=s', subjectKey: key, ...validity }).der,
      ).serial.content.toString('hex');
    expect(serial(0n)).toBe('00');
    expect(serial(128n)).toBe('0080');
    expect(serial(Buffer.from('0000ab', 'hex'))).toBe('0000ab');
    expect(serial(Buffer.alloc(21, 0x11))).toHaveLength(42);
  });

  it('re-encodes an issuer Name that OpenSSL still matches, and forges links by key', () => {
    const root = rootCa('p-256', 0);
    const key = keys.get('p-384', 0);
    const reencoded = forgeCertificate({
      subject: 'CN=child',
      subjectKey: key,
      issuer: root,
      issuerName: dn('C=us, O=FORGE   test, CN=  Forge Test Root ', 'utf8'),
      ...validity,
    });
    const f = fields(reencoded.der);
    expect(bytesOf(f.tbs.content, f.issuer).equals(root.certificate.subjectName)).toBe(false);
    expect(reencoded.x509?.checkIssued(root.certificate.x509 as X509Certificate)).toBe(true);
    const forged = forgeCertificate({
      subject: 'CN=forged',
      subjectKey: key,
      issuer: root,
      signingKey: keys.get('p-256', 1),
      ...validity,
    });
    expect(forged.x509?.checkIssued(root.certificate.x509 as X509Certificate)).toBe(true);
    expect(forged.x509?.verify(root.key.publicKey)).toBe(false);
  });

  it('keeps a few keys per kind and makes each once', async () => {
    const pool = new KeyPool(2);
    await pool.warm(['p-256', 'ed25519']);
    expect(pool.size).toBe(4);
    expect(pool.get('p-256', 0)).toBe(pool.get('p-256', 2));
    expect(pool.get('p-256', 1)).not.toBe(pool.get('p-256', 0));
    expect(createPrivateKey(pool.get('ed25519', 1).privatePem).asymmetricKeyType).toBe('ed25519');
  });
});

function hexColons(b: Buffer | undefined): string {
  return [...(b ?? [])].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function selfSigned(
  kind: KeyKind,
  signature: CertificateSpec['signature'] = {},
): ForgedCertificate {
  return forgeCertificate({
    subject: `CN=${kind}`,
    subjectKey: keys.get(kind, 0),
    ...validity,
    signature,
  });
}

function timeOf(
  key: ReturnType<KeyPool['get']>,
  encoding: TimeEncoding,
  date: Date,
): [number, string] {
  const cert = forgeCertificate({
    subject: 'CN=t',
    subjectKey: key,
    notBefore: { date, encoding },
    notAfter: date,
  });
  const [t] = fields(cert.der).validity;
  return [t?.tag ?? 0, t?.content.toString('latin1') ?? ''];
}

/** What a world's CAs are, without what depends on key material (SPKI, key ids, signatures). */
function structureOf(world: World): string[] {
  return world.cas.map((ca) => {
    const f = fields(ca.certificate.der);
    const tbs = f.tbs.content;
    const extensions = f.extensions.map((e) => {
      const oid = (e[0] as DerElement).content.toString('hex');
      const keyDependent = oid === '551d0e' || oid === '551d23';
      const value = (e[e.length - 1] as DerElement).content.toString('hex');
      return `${oid}:${e.length === 3 ? 'critical' : ''}:${keyDependent ? 'key id' : value}`;
    });
    return [
      ca.label,
      ca.inBundle,
      ca.parent?.label,
      f.version ? bytesOf(tbs, f.version).toString('hex') : 'v1',
      f.serial.content.toString('hex'),
      bytesOf(tbs, f.innerAlgorithm).toString('hex'),
      bytesOf(tbs, f.issuer).toString('hex'),
      f.validity.map((t) => t.content.toString('latin1')).join('-'),
      bytesOf(tbs, f.subject).toString('hex'),
      readChildren(f.spki)[0]?.content.toString('hex'),
      ...extensions,
    ].join('|');
  });
}

describe('createWorld and caseArbitrary', () => {
  let world: World;
  let dir: string;
  beforeAll(async () => {
    await keys.warm(['rsa-1024', 'rsa-2048', 'rsa-3072', 'rsa-4096']);
    world = createWorld(7);
    dir = mkdtempSync(join(tmpdir(), 'forge-'));
    writeFileSync(join(dir, 'bundle.pem'), world.bundlePem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `openssl verify -purpose sslclient` of a leaf against the bundle, with what the client sends. */
  function opensslAccepts(leafPem: string, sent: readonly { pem: string }[]): boolean {
    writeFileSync(join(dir, 'leaf.pem'), leafPem);
    writeFileSync(join(dir, 'sent.pem'), sent.map((c) => c.pem).join(''));
    const args = ['verify', '-purpose', 'sslclient', '-CAfile', join(dir, 'bundle.pem')];
    if (sent.length > 0) args.push('-untrusted', join(dir, 'sent.pem'));
    return spawnSync('openssl', [...args, join(dir, 'leaf.pem')]).status === 0;
  }

  it('makes the same structure for the same seed, with other keys, and another for another seed', () => {
    const at = new Date(now);
    const fresh = new KeyPool(2);
    const again = createWorld(7, { now: at, keys: fresh });
    const same = createWorld(7, { now: at });
    const first = structureOf(same);
    expect(structureOf(again)).toEqual(first);
    expect(again.bundle.map((c) => c.label)).toEqual(same.bundle.map((c) => c.label));
    expect(structureOf(createWorld(8, { now: at }))).not.toEqual(first);
    // Other keys, so other bytes: only the structure is the seed's.
    expect(again.cas[0]?.certificate.der.equals(same.cas[0]?.certificate.der as Buffer)).toBe(
      false,
    );
  });

  it('has a bundle Node loads, a chain of depth 10, and server and proxy credentials OpenSSL accepts', () => {
    expect(world.bundle.every((c) => c.certificate.x509 !== undefined)).toBe(true);
    expect(() => createSecureContext({ ca: world.bundlePem })).not.toThrow();
    expect(() =>
      createSecureContext({ cert: world.server.certPem, key: world.server.keyPem }),
    ).not.toThrow();
    expect(world.ca('deep-10').depth).toBe(10);
    expect(world.cas.some((c) => !c.inBundle)).toBe(true);
    expect(world.ca('rogue-root').certificate.subjectName).toEqual(
      world.ca('root-rsa').certificate.subjectName,
    );
    for (const [cred, purpose] of [
      [world.server, 'sslserver'],
      [world.proxy, 'sslclient'],
    ] as const) {
      writeFileSync(join(dir, `${purpose}.pem`), cred.certPem);
      const r = spawnSync(
        'openssl',
        [
          'verify',
          '-purpose',
          purpose,
          '-CAfile',
          join(dir, 'bundle.pem'),
          join(dir, `${purpose}.pem`),
        ],
        { encoding: 'utf8' },
      );
      expect(r.stdout, r.stderr).toContain(': OK');
    }
    expect(world.proxy.certificate.x509?.subject).toContain('CN=trusted-proxy');
    expect(world.server.certificate.x509?.checkHost('localhost')).toBe('localhost');
    expect(world.server.certificate.x509?.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('has OpenSSL accept a plain leaf under each CA exactly when the CA has no flaw', () => {
    const disagree: string[] = [];
    for (const ca of world.cas) {
      const inside = ca.names.inside;
      const leaf = forgeCertificate({
        subject: {
          rdns: [
            ...(inside.subjectPrefix ?? [[{ type: 'O', value: 'Forge Clients' }]]),
            [{ type: 'CN', value: 'billing-service' }],
          ],
        },
        subjectKey: keys.get('p-384', 0),
        issuer: ca,
        ...validity,
        signature: ca.signs,
        extensions: [
          keyUsage(['digitalSignature']),
          extKeyUsage(['clientAuth']),
          subjectAltName([{ dns: inside.dns[0] ?? 'billing.service.example' }]),
        ],
      });
      const sent = neededChain(ca).map((c) => c.certificate);
      if (opensslAccepts(leaf.pem, sent) !== (ca.flaw === undefined)) disagree.push(ca.label);
    }
    expect(disagree).toEqual([]);
  });

  it('generates 2,000 cases in well under 20 s', () => {
    const started = performance.now();
    const cases = fc.sample(caseArbitrary(world), { seed: 1, numRuns: 2000 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`2,000 cases in ${seconds.toFixed(2)} s`);
    expect(cases).toHaveLength(2000);
    expect(seconds).toBeLessThan(10);
  });

  it('samples 200 cases of which OpenSSL accepts between 25% and 70%', () => {
    const cases = fc.sample(caseArbitrary(world), { seed: 20261204, numRuns: 200 });
    expect(new Set(cases.map((c) => c.id)).size).toBeGreaterThan(190);
    let accepted = 0;
    for (const c of cases) {
      expect(c.description).not.toContain('\n');
      expect(c.leaf.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(createPrivateKey(c.leaf.keyPem).type).toBe('private');
      if (opensslAccepts(c.leaf.pem, c.sent)) accepted++;
    }
    const rate = accepted / cases.length;
    console.log(
      `openssl verify -purpose sslclient accepted ${accepted} of ${cases.length} (${(rate * 100).toFixed(1)}%)`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.25);
    expect(rate).toBeLessThanOrEqual(0.7);
  });
});
