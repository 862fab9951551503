import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeForwardedCertificate,
  MAX_FORWARDED_CHAIN,
  MAX_FORWARDED_HEADER_LENGTH,
} from '../../src/forwarded/forwarded-certificate.js';
import { readProxyVerdict } from '../../src/forwarded/proxy-verdict.js';
import { CertificatePolicy } from '../../src/x509/certificate-policy.js';
import { FingerprintPins } from '../../src/x509/fingerprint-pins.js';
import { parsePemCertificates } from '../../src/x509/pem.js';
import { TrustStore } from '../../src/x509/trust-store.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

/** The intermediate CA of the test PKI (first of bundle.crt), and a client it issued. */
const intermediate = () => parsePemCertificates(readFileSync(pki.bundleFile, 'utf8'))[0]!;
const leaf = () => pki.clients.viaIntermediate;
const pemOf = (cert: X509Certificate) => cert.toString();
const b64 = (cert: X509Certificate) => cert.raw.toString('base64');
const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');

/** The names of the samples of {@link chainSamples} (known before the PKI is made). */
const CHAIN_FORMS = [
  'alb passthrough (url-pem blocks)',
  'pem blocks',
  'traefik (base64 list)',
  'traefik 2.8 (escaped list)',
  'envoy (xfcc Cert + Chain)',
  'envoy (xfcc Chain only)',
  'rfc9440 (chain header)',
  'haproxy (concatenated DER)',
  'chain header in PEM',
  'chain header in url-pem',
] as const;

/** The chain each chain-carrying format forwards: the leaf, then its intermediate. */
function chainSamples(): Record<(typeof CHAIN_FORMS)[number], { value: string; chain?: string }> {
  const ca = intermediate();
  const l = leaf().x509;
  const urlPem = (c: X509Certificate) => encodeURIComponent(pemOf(c));
  return {
    // AWS ALB passthrough: X-Amzn-Mtls-Clientcert, the whole chain, URL-encoded PEM, leaf first
    'alb passthrough (url-pem blocks)': { value: urlPem(l) + urlPem(ca) },
    'pem blocks': { value: `${pemOf(l)}${pemOf(ca)}`.replace(/\n/g, ' ') },
    // Traefik passTLSClientCert: base64 DER of each certificate sent, joined with ","
    'traefik (base64 list)': { value: `${b64(l)},${b64(ca)}` },
    // Traefik 2.8-2.9.1 URL-escaped the whole value
    'traefik 2.8 (escaped list)': { value: encodeURIComponent(`${b64(l)},${b64(ca)}`) },
    // Envoy XFCC with Cert and Chain (the chain includes the leaf)
    'envoy (xfcc Cert + Chain)': {
      value: `By=spiffe://mesh/app;Hash=${sha256(l.raw)};Cert="${urlPem(l)}";Chain="${urlPem(l)}${urlPem(ca)}"`,
    },
    // Envoy with set_current_client_cert_details { chain: true } only
    'envoy (xfcc Chain only)': { value: `Hash=${sha256(l.raw)};Chain="${urlPem(l)}${urlPem(ca)}"` },
    // RFC 9440 Client-Cert and Client-Cert-Chain
    'rfc9440 (chain header)': { value: `:${b64(l)}:`, chain: `:${b64(ca)}:` },
    // HAProxy %[ssl_c_chain_der,base64]: the chain's DER certificates back to back
    'haproxy (concatenated DER)': {
      value: b64(l),
      chain: Buffer.concat([ca.raw]).toString('base64'),
    },
    'chain header in PEM': { value: b64(l), chain: pemOf(ca).replace(/\n/g, ' ') },
    'chain header in url-pem': { value: b64(l), chain: urlPem(ca) },
  };
}

describe('forwarded chains: every format that carries one', () => {
  it.each(CHAIN_FORMS)('decodes the leaf and its chain from %s', (name) => {
    const { value, chain } = chainSamples()[name];
    const decoded = decodeForwardedCertificate(value, 'auto', chain);
    expect(decoded.ok, name).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.certificate.fingerprint256).toBe(leaf().x509.fingerprint256);
    expect(decoded.chain.map((c) => c.fingerprint256)).toEqual([intermediate().fingerprint256]);
  });

  it('takes concatenated DER in the chain header as several certificates, in order', () => {
    const ca = intermediate();
    const root = parsePemCertificates(readFileSync(pki.caFile, 'utf8'))[0]!;
    const decoded = decodeForwardedCertificate(
      b64(leaf().x509),
      'base64-der',
      Buffer.concat([ca.raw, root.raw]).toString('base64'),
    );
    expect(decoded.ok && decoded.chain.map((c) => c.fingerprint256)).toEqual([
      ca.fingerprint256,
      root.fingerprint256,
    ]);
  });

  it(`accepts ${MAX_FORWARDED_CHAIN} chain certificates and refuses ${MAX_FORWARDED_CHAIN + 1}, in every form`, () => {
    const ca = intermediate();
    const l = leaf().x509;
    const list = (n: number) => Array.from({ length: n }, () => `:${b64(ca)}:`).join(', ');
    const pems = (n: number) => Array.from({ length: n }, () => pemOf(ca)).join('');
    for (const [n, ok] of [
      [MAX_FORWARDED_CHAIN, true],
      [MAX_FORWARDED_CHAIN + 1, false],
    ] as const) {
      expect(decodeForwardedCertificate(`:${b64(l)}:`, 'rfc9440', list(n)).ok).toBe(ok);
      expect(decodeForwardedCertificate(pemOf(l) + pems(n), 'pem').ok).toBe(ok);
      const traefik = [b64(l), ...Array.from({ length: n }, () => b64(ca))].join(',');
      expect(decodeForwardedCertificate(traefik, 'base64-der').ok).toBe(ok);
      const concatenated = Buffer.concat(Array.from({ length: n }, () => ca.raw));
      expect(
        decodeForwardedCertificate(b64(l), 'base64-der', concatenated.toString('base64')).ok,
      ).toBe(ok);
    }
    // The chain in the certificate header and the chain header count together.
    const half = Array.from({ length: 6 }, () => b64(ca));
    expect(
      decodeForwardedCertificate([b64(l), ...half].join(','), 'base64-der', half.join(',')),
    ).toMatchObject({ ok: false, reason: `more than ${MAX_FORWARDED_CHAIN} chain certificates` });
  });

  it('refuses a chain header over the size limit unread', () => {
    const decoded = decodeForwardedCertificate(
      b64(leaf().x509),
      'base64-der',
      'A'.repeat(MAX_FORWARDED_HEADER_LENGTH + 1),
    );
    expect(decoded).toEqual({ ok: false, reason: 'chain header too long' });
  });

  it.each<[string, () => { value: string; chain?: string }]>([
    [
      'a private key in the chain',
      () => ({ value: encodeURIComponent(pemOf(leaf().x509) + pki.clients.billing.keyPem) }),
    ],
    ['garbage in the chain header', () => ({ value: b64(leaf().x509), chain: 'not, a, chain' })],
    [
      'a truncated chain certificate',
      () => ({
        value: b64(leaf().x509),
        chain: intermediate().raw.subarray(0, 300).toString('base64'),
      }),
    ],
    [
      'trailing bytes after the chain',
      () => ({
        value: b64(leaf().x509),
        chain: Buffer.concat([intermediate().raw, Buffer.from([1, 2, 3])]).toString('base64'),
      }),
    ],
    [
      'an RFC 9440 chain item with parameters',
      () => ({ value: `:${b64(leaf().x509)}:`, chain: `:${b64(intermediate())}:;a=1` }),
    ],
    [
      'an XFCC Chain that does not start with its Cert',
      () => ({
        value: `Cert="${encodeURIComponent(pemOf(leaf().x509))}";Chain="${encodeURIComponent(pemOf(intermediate()))}"`,
      }),
    ],
    [
      "an XFCC Hash that is not the Chain's leaf",
      () => ({
        value: `Hash=${sha256(intermediate().raw)};Chain="${encodeURIComponent(pemOf(leaf().x509) + pemOf(intermediate()))}"`,
      }),
    ],
    [
      'text between PEM blocks',
      () => ({ value: `${pemOf(leaf().x509)}hello${pemOf(intermediate())}` }),
    ],
  ])('refuses %s', (_name, sample) => {
    const { value, chain } = sample();
    expect(decodeForwardedCertificate(value, 'auto', chain).ok).toBe(false);
  });

  it('never throws, whatever the chain header holds', () => {
    const value = b64(leaf().x509);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 3000 }),
          fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b).toString('base64')),
          fc
            .array(fc.uint8Array({ maxLength: 400 }), { maxLength: 12 })
            .map((items) => items.map((b) => `:${Buffer.from(b).toString('base64')}:`).join(', ')),
        ),
        (chain) => {
          const decoded = decodeForwardedCertificate(value, 'base64-der', chain);
          expect(typeof decoded.ok).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('lets a forwarded chain complete a path to the bundle, and nothing else: trust stays the bundle', () => {
    const policy = new CertificatePolicy({
      trustStore: new TrustStore(parsePemCertificates(readFileSync(pki.caFile, 'utf8'))),
      allowedTypes: 'chained',
      pins: new FingerprintPins([]),
      securityLevel: 2,
    });
    const rfc9440 = chainSamples()['rfc9440 (chain header)'];
    const decoded = decodeForwardedCertificate(rfc9440.value, 'rfc9440', rfc9440.chain);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(policy.evaluateForwarded(decoded.certificate)).toMatchObject({
      ok: false,
      code: 'MTLS_CERT_UNTRUSTED',
    });
    expect(policy.evaluateForwarded(decoded.certificate, 'forwarded', decoded.chain)).toMatchObject(
      {
        ok: true,
        identity: { commonName: 'billing-service' },
      },
    );
    // A self-made CA with the intermediate's name sent along changes nothing: it is not anchored.
    const rogue = decodeForwardedCertificate(
      b64(pki.clients.rogue.x509),
      'base64-der',
      b64(intermediate()),
    );
    if (!rogue.ok) throw new Error(rogue.reason);
    expect(policy.evaluateForwarded(rogue.certificate, 'forwarded', rogue.chain)).toMatchObject({
      ok: false,
      code: 'MTLS_CERT_UNTRUSTED',
    });
  });
});

describe("a proxy's verdict words", () => {
  it.each<[string, string | undefined, readonly string[], ReturnType<typeof readProxyVerdict>]>([
    ['no verdict header', undefined, ['SUCCESS'], undefined],
    ['nginx SUCCESS', 'SUCCESS', ['SUCCESS'], { kind: 'success' }],
    ['nginx NONE', 'NONE', ['SUCCESS'], { kind: 'absent' }],
    ['an empty verdict', '', ['SUCCESS'], { kind: 'absent' }],
    [
      'nginx FAILED:certificate has expired',
      'FAILED:certificate has expired',
      ['SUCCESS'],
      { kind: 'failed', error: 'CERT_HAS_EXPIRED' },
    ],
    [
      'nginx FAILED:certificate revoked',
      'FAILED:certificate revoked',
      ['SUCCESS'],
      { kind: 'failed', error: 'CERT_REVOKED' },
    ],
    [
      'nginx FAILED:unable to get local issuer certificate',
      'FAILED:unable to get local issuer certificate',
      ['SUCCESS'],
      { kind: 'failed', error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
    ],
    [
      'nginx FAILED:<something new>',
      'FAILED:who knows',
      ['SUCCESS'],
      { kind: 'failed', error: '' },
    ],
    ['HAProxy 0', '0', ['0'], { kind: 'success' }],
    ['HAProxy 10 (expired)', '10', ['0'], { kind: 'failed', error: 'CERT_HAS_EXPIRED' }],
    ['HAProxy 9 (not yet valid)', '9', ['0'], { kind: 'failed', error: 'CERT_NOT_YET_VALID' }],
    ['HAProxy 23 (revoked)', '23', ['0'], { kind: 'failed', error: 'CERT_REVOKED' }],
    ['HAProxy 26 (purpose)', '26', ['0'], { kind: 'failed', error: 'INVALID_PURPOSE' }],
    [
      'HAProxy 20 (unknown issuer)',
      '20',
      ['0'],
      { kind: 'failed', error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
    ],
    ['GCP true', 'true', ['true'], { kind: 'success' }],
    ['GCP True, any ASCII case', 'True', ['true'], { kind: 'success' }],
    ['GCP false', 'false', ['true'], { kind: 'failed', error: '' }],
    ['0 where SUCCESS is the word', '0', ['SUCCESS'], { kind: 'failed', error: '' }],
    ['SUCCESS where 0 is the word', 'SUCCESS', ['0'], { kind: 'failed', error: '' }],
    // U+212A KELVIN SIGN folds to "k" with toLowerCase(): never a success by look-alike.
    ['a look-alike of a success word', 'o\u212A', ['ok'], { kind: 'failed', error: '' }],
  ])('reads %s', (_name, value, success, expected) => {
    expect(readProxyVerdict(value, success)).toEqual(expected);
  });
});
