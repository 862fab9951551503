import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CertificatePolicy } from '../../src/x509/certificate-policy.js';
import { CrlSet } from '../../src/x509/crl-set.js';
import { CertificateProfile } from '../../src/x509/verify/certificate-profile.js';
import { FingerprintPins } from '../../src/x509/fingerprint-pins.js';
import {
  decodeForwardedCertificate,
  detectFormat,
  MAX_FORWARDED_HEADER_LENGTH,
} from '../../src/forwarded/forwarded-certificate.js';
import { parsePemCertificates } from '../../src/x509/pem.js';
import { TrustStore } from '../../src/x509/trust-store.js';
import { formatXfcc, parseXfcc, xfccValue } from '../../src/forwarded/xfcc.js';
import { createCrl, createRootCa } from '../../src/testing/pki.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');
const b64 = (name: 'billing' | 'gateway') => pki.clients[name].x509.raw.toString('base64');

/** The header value each proxy would send for a PEM certificate. */
function samples(pem: string) {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    // nginx $ssl_client_escaped_cert (and AWS ALB): URL-encoded PEM
    'url-pem': encodeURIComponent(pem),
    // PEM whose line breaks a proxy turned into spaces
    pem: pem.trim().replace(/\n/g, ' '),
    // Azure X-ARR-ClientCert / ASP.NET X-Client-Cert / Traefik: base64 DER
    'base64-der': der.toString('base64'),
    // .NET GetRawCertDataString(): hex DER
    'hex-der': der.toString('hex').toUpperCase(),
    // Envoy: the element the nearest proxy added is the last one
    xfcc: `By=spiffe://mesh/outer;Hash=00;Subject="CN=someone, O=else",By=spiffe://mesh/app;Hash=${sha256(der)};Cert="${encodeURIComponent(pem)}";Subject="O=Test,CN=x";URI=spiffe://example.test/ns/prod/sa/billing`,
    // RFC 9440 Client-Cert: sf-binary
    rfc9440: `:${der.toString('base64')}:`,
  } as const;
}

describe('decodeForwardedCertificate', () => {
  it('decodes every proxy format, explicitly and with auto-detection', () => {
    const expected = pki.clients.billing.x509.fingerprint256;
    for (const [format, value] of Object.entries(samples(pki.clients.billing.certPem))) {
      expect(detectFormat(value), format).toBe(format);
      for (const chosen of [format, 'auto'] as const) {
        const decoded = decodeForwardedCertificate(value, chosen as never);
        expect(decoded.ok, `${format} as ${chosen}`).toBe(true);
        if (decoded.ok) expect(decoded.certificate.fingerprint256).toBe(expected);
      }
    }
  });

  it('takes the Cert of the last XFCC element, not an earlier hop', () => {
    const header = `Cert="${encodeURIComponent(pki.clients.gateway.certPem)}",Cert="${encodeURIComponent(pki.clients.billing.certPem)}"`;
    const decoded = decodeForwardedCertificate(header, 'xfcc');
    expect(decoded.ok && decoded.certificate.fingerprint256).toBe(
      pki.clients.billing.x509.fingerprint256,
    );
  });

  describe("XFCC's Hash (Envoy: hex SHA-256 of the DER certificate)", () => {
    const element = (hash: string, name: 'billing' | 'gateway' = 'billing') =>
      `By=spiffe://mesh/app;Hash=${hash};Cert="${encodeURIComponent(pki.clients[name].certPem)}"`;
    const hashOf = (name: 'billing' | 'gateway') => sha256(pki.clients[name].x509.raw);

    it('accepts a Hash equal to the hash of the Cert, in either case, explicitly and detected', () => {
      for (const hash of [hashOf('billing'), hashOf('billing').toUpperCase()]) {
        for (const format of ['xfcc', 'auto'] as const) {
          const decoded = decodeForwardedCertificate(element(hash), format);
          expect(decoded.ok && decoded.certificate.fingerprint256).toBe(
            pki.clients.billing.x509.fingerprint256,
          );
        }
      }
    });

    it.each<[string, () => string]>([
      ["another certificate's hash", () => element(hashOf('gateway'))],
      [
        'a hash one digit off',
        () => {
          const hash = hashOf('billing');
          return element(`${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`);
        },
      ],
      ['a truncated hash', () => element(hashOf('billing').slice(0, 62))],
      ['a hash with colons', () => element(hashOf('billing').replace(/(..)(?!$)/g, '$1:'))],
      ['an empty Hash', () => element('')],
      [
        'a second Hash that differs',
        () => `${element(hashOf('billing'))};Hash=${hashOf('gateway')}`,
      ],
    ])('refuses %s', (_name, header) => {
      expect(decodeForwardedCertificate(header(), 'xfcc')).toEqual({
        ok: false,
        reason: 'XFCC Hash is not the SHA-256 of its Cert',
      });
    });

    it('reads only the element used: an earlier hop keeps its own Hash', () => {
      const header = `By=spiffe://mesh/outer;Hash=${hashOf('gateway')},${element(hashOf('billing'))}`;
      expect(decodeForwardedCertificate(header, 'xfcc').ok).toBe(true);
      const cert = `Cert="${encodeURIComponent(pki.clients.billing.certPem)}"`;
      expect(decodeForwardedCertificate(`By=x;${cert}`, 'xfcc').ok).toBe(true);
    });
  });

  it.each<[string, () => string]>([
    ['empty', () => ''],
    ['garbage', () => 'hello world, this is not a certificate'],
    ['truncated PEM', () => encodeURIComponent(pki.clients.billing.certPem.slice(0, 300))],
    [
      'truncated DER',
      () => Buffer.from(pki.clients.billing.x509.raw.subarray(0, 200)).toString('base64'),
    ],
    ['a private key', () => encodeURIComponent(pki.clients.billing.keyPem)],
    [
      'certificate plus key',
      () => encodeURIComponent(pki.clients.billing.certPem + pki.clients.billing.keyPem),
    ],
    [
      'trailing bytes',
      () =>
        Buffer.concat([pki.clients.billing.x509.raw, Buffer.from([0, 1, 2])]).toString('base64'),
    ],
    ['oversized', () => 'A'.repeat(MAX_FORWARDED_HEADER_LENGTH + 1)],
    ['bad percent-encoding', () => '-----BEGIN%20CERTIFICATE-----%E0%A4%A'],
    ['XFCC without Cert or Chain', () => 'By=spiffe://x;Hash=abc'],
    ['an RFC 9440 list in Client-Cert', () => `:${b64('billing')}:, :${b64('gateway')}:`],
    ['XFCC with an open quote', () => 'Cert="-----BEGIN'],
  ])('refuses %s', (_name, value) => {
    expect(decodeForwardedCertificate(value()).ok).toBe(false);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 3000 }),
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        (value) => {
          for (const format of [
            'auto',
            'url-pem',
            'pem',
            'base64-der',
            'hex-der',
            'xfcc',
            'rfc9440',
          ] as const) {
            const decoded = decodeForwardedCertificate(value, format);
            expect(typeof decoded.ok).toBe('boolean');
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws on mutated real certificates either', () => {
    const der = pki.clients.billing.x509.raw;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: der.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, byte) => {
          const mutated = Buffer.from(der);
          mutated[at] = byte;
          const decoded = decodeForwardedCertificate(mutated.toString('base64'), 'base64-der');
          expect(typeof decoded.ok).toBe('boolean');
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('XFCC', () => {
  it('round-trips subjects with commas, quotes, semicolons, equals signs and backslashes', () => {
    const elements = [
      [
        ['By', 'spiffe://example.org/ns/prod/sa/gateway'],
        ['Hash', 'ab'.repeat(32)],
        ['Subject', 'CN=a\\,b,O="Acme; Inc.",OU=x=y'],
        ['URI', 'spiffe://example.org/ns/prod/sa/billing'],
        ['DNS', 'billing-service'],
      ],
      [['By', 'spiffe://example.org/ns/prod/sa/next']],
    ] as const;
    const header = formatXfcc(elements);
    expect(parseXfcc(header)).toEqual(elements.map((e) => e.map((p) => [...p])));
    expect(xfccValue(parseXfcc(header)[0] ?? [], 'subject')).toBe('CN=a\\,b,O="Acme; Inc.",OU=x=y');
  });

  it('round-trips arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.tuple(
              fc.constantFrom('By', 'Hash', 'Subject', 'URI', 'DNS'),
              fc.string({ maxLength: 40 }),
            ),
            { minLength: 1, maxLength: 5 },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (elements) => {
          const trimmed = elements.map((e) => e.map(([k, v]) => [k, v] as const));
          const parsed = parseXfcc(formatXfcc(trimmed));
          // Unquoted values are trimmed by the grammar; formatXfcc quotes anything with spaces.
          expect(parsed).toEqual(trimmed.map((e) => e.map(([k, v]) => [k, v])));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses headers with too many elements', () => {
    expect(() => parseXfcc(Array.from({ length: 20 }, () => 'By=x').join(','))).toThrow(/too many/);
  });
});

describe('CrlSet (revocation for forwarded certificates)', () => {
  const policy = (crl?: string) => {
    const cas = parsePemCertificates(readFileSync(pki.caFile, 'utf8'));
    return new CertificatePolicy({
      trustStore: new TrustStore(cas),
      allowedTypes: 'chained',
      pins: new FingerprintPins([]),
      revocation: crl ? new CrlSet(crl, cas) : undefined,
      securityLevel: 2,
    });
  };
  const code = (p: CertificatePolicy, cert: import('node:crypto').X509Certificate) => {
    const outcome = p.evaluateForwarded(cert);
    return outcome.ok ? 'ok' : outcome.code;
  };

  it('refuses a revoked certificate and accepts the others', () => {
    const p = policy(readFileSync(pki.crlFile, 'utf8'));
    expect(code(p, pki.clients.revoked.x509)).toBe('MTLS_CERT_REVOKED');
    expect(code(p, pki.clients.billing.x509)).toBe('ok');
  });

  it('refuses to load CRLs that leave a CA of the bundle without one, as Node would fail later', () => {
    const bundle = parsePemCertificates(readFileSync(pki.bundleFile, 'utf8'));
    expect(() => new CrlSet(readFileSync(pki.crlFile, 'utf8'), bundle)).toThrow(
      /no CRL from .*Test Intermediate CA/,
    );
  });

  it('names a stale CRL (past nextUpdate) as OpenSSL does, which refuses', () => {
    const cas = parsePemCertificates(readFileSync(pki.caFile, 'utf8'));
    const set = new CrlSet(readFileSync(pki.crlFile, 'utf8'), cas);
    const chain = [pki.clients.billing.x509, ...cas].map((c) => new CertificateProfile(c));
    const now = Date.now() / 1000;
    expect(set.check(chain, 0, now + 40 * 24 * 60 * 60)).toEqual(['CRL_HAS_EXPIRED']);
    expect(set.check(chain, 0, now)).toEqual([]);
  });

  it('says which CA each CRL in force is from, and its thisUpdate and nextUpdate', async () => {
    const ca = await createRootCa('dated-ca', 'O=Test, CN=Dated CA');
    const thisUpdate = new Date('2025-01-01T00:00:00Z');
    const nextUpdate = new Date('2025-01-08T00:00:00Z');
    const caCert = new X509Certificate(ca.certPem);
    const cas = [...parsePemCertificates(readFileSync(pki.caFile, 'utf8')), caCert];
    const set = new CrlSet(
      readFileSync(pki.crlFile, 'utf8') + (await createCrl(ca, [], { thisUpdate, nextUpdate })),
      cas,
    );
    expect(set.lists.map((l) => l.issuer.fingerprint256)).toEqual(cas.map((c) => c.fingerprint256));
    expect(set.lists[1]).toMatchObject({ thisUpdate, nextUpdate });
    // Past its nextUpdate it still loads, and refuses what its CA issued.
    expect(set.check([new CertificateProfile(caCert)], 0, Date.now() / 1000)).toEqual([
      'CRL_HAS_EXPIRED',
    ]);
  });

  it('refuses to load a CRL no trusted CA signed', () => {
    const rogue = parsePemCertificates(readFileSync(pki.rogueCaFile, 'utf8'));
    expect(() => new CrlSet(readFileSync(pki.crlFile, 'utf8'), rogue)).toThrow(
      /not signed by any CA/,
    );
  });
});
