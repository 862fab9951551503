import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateExplainer } from '../../src/diagnose/explain-certificate.js';
import { MtlsAuthOptionsError } from '../../src/options/options-error.js';
import { resolveMtlsAuthOptions, resolveTrust } from '../../src/options/resolve-options.js';
import { createRootCa, issue, type Issued } from '../../src/testing/pki.js';
import { CertificatePolicy } from '../../src/x509/certificate-policy.js';
import { FingerprintPins } from '../../src/x509/fingerprint-pins.js';
import { parseSpiffeBundle } from '../../src/x509/spiffe-bundle.js';
import { TrustStore } from '../../src/x509/trust-store.js';

/** The trust domains of the generated configurations. */
const DOMAINS = ['a.example', 'b.example', 'c.example'] as const;
type Domain = (typeof DOMAINS)[number];
const ROOTS = [0, 1, 2, 3] as const;

/** Four roots, each with an intermediate, and leaves of every trust domain (and none) under each. */
interface Pki {
  readonly roots: readonly Issued[];
  readonly intermediates: readonly Issued[];
  /** `leaves[root][domain or 'none'][direct or via the intermediate]` */
  readonly leaves: readonly Record<Domain | 'none', { direct: Issued; via: Issued }>[];
  /** Always in the CA file, so that it is never empty; issues nothing here. */
  readonly other: Issued;
}

let pki: Pki;

beforeAll(async () => {
  const roots: Issued[] = [];
  const intermediates: Issued[] = [];
  const leaves: Record<Domain | 'none', { direct: Issued; via: Issued }>[] = [];
  for (const i of ROOTS) {
    const root = await createRootCa(`root${i}`, `O=Trust Domains, CN=Root ${i}`);
    const intermediate = await issue(`int${i}`, root, {
      subject: `O=Trust Domains, CN=Intermediate ${i}`,
      ca: true,
    });
    const byDomain = {} as Record<Domain | 'none', { direct: Issued; via: Issued }>;
    for (const domain of [...DOMAINS, 'none'] as const) {
      const options = {
        subject: `O=Trust Domains, CN=${domain}-${i}`,
        dns: [`svc-${i}.${domain}`],
        ...(domain === 'none' ? {} : { uris: [`spiffe://${domain}/ns/prod/sa/svc-${i}`] }),
      };
      byDomain[domain] = {
        direct: await issue(`leaf-${domain}-${i}`, root, options),
        via: await issue(`leaf-${domain}-${i}-via`, intermediate, options),
      };
    }
    roots.push(root);
    intermediates.push(intermediate);
    leaves.push(byDomain);
  }
  pki = { roots, intermediates, leaves, other: await createRootCa('other', 'O=Other, CN=Other') };
});

/** A trust domain's bundle as SPIRE serves it: a JWK Set whose x509-svid keys carry the CAs. */
function jwks(cas: readonly Issued[]): string {
  return JSON.stringify({
    spiffe_sequence: 1,
    keys: [
      { kty: 'EC', use: 'jwt-svid', kid: 'ignored', crv: 'P-256', x: 'AA', y: 'AA' },
      ...cas.map((ca) => ({
        kty: 'EC',
        use: 'x509-svid',
        x5c: [new X509Certificate(ca.certPem).raw.toString('base64')],
      })),
    ],
  });
}

/** One generated configuration, and the caller to judge under it. */
const scenario = fc.record({
  caFile: fc.subarray([...ROOTS]),
  bundles: fc.record({
    'a.example': fc.option(fc.subarray([...ROOTS], { minLength: 1 }), { nil: undefined }),
    'b.example': fc.option(fc.subarray([...ROOTS], { minLength: 1 }), { nil: undefined }),
    'c.example': fc.option(fc.subarray([...ROOTS], { minLength: 1 }), { nil: undefined }),
  }),
  jwks: fc.boolean(),
  root: fc.constantFrom(...ROOTS),
  domain: fc.constantFrom(...DOMAINS, 'none' as const),
  via: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/**
 * The rule, written plainly: trusted at all when the root is in the CA file or a bundle; then,
 * with bundles, a SPIFFE ID of T only from T's bundle and no SPIFFE ID only from the CA file.
 */
function model(s: Scenario): 'accepted' | 'untrusted' {
  const configured = DOMAINS.filter((d) => s.bundles[d] !== undefined);
  const inCaFile = s.caFile.includes(s.root);
  const inBundle = (d: Domain) => s.bundles[d]?.includes(s.root) ?? false;
  if (!inCaFile && !configured.some(inBundle)) return 'untrusted';
  if (configured.length === 0) return inCaFile ? 'accepted' : 'untrusted';
  if (s.domain === 'none') return inCaFile ? 'accepted' : 'untrusted';
  return inBundle(s.domain) ? 'accepted' : 'untrusted';
}

/** The configuration as the module's options give it. */
function configuration(s: Scenario) {
  const trustedCa = [pki.other, ...s.caFile.map((i) => pki.roots[i]!)]
    .map((c) => c.certPem)
    .join('');
  const entries = DOMAINS.flatMap((d) => {
    const roots = s.bundles[d];
    if (roots === undefined) return [];
    const cas = roots.map((i) => pki.roots[i]!);
    return [[d, s.jwks ? jwks(cas) : cas.map((c) => c.certPem).join('')] as const];
  });
  return { trustedCa, spiffeBundles: entries.length > 0 ? Object.fromEntries(entries) : undefined };
}

function caller(s: Scenario): { leaf: X509Certificate; chain: X509Certificate[] } {
  const issued = pki.leaves[s.root]![s.domain];
  return s.via
    ? {
        leaf: new X509Certificate(issued.via.certPem),
        chain: [new X509Certificate(pki.intermediates[s.root]!.certPem)],
      }
    : { leaf: new X509Certificate(issued.direct.certPem), chain: [] };
}

describe('SPIFFE trust domains that cannot vouch for each other (generated configurations)', () => {
  it('accepts a caller exactly when the rule says so, on both paths and in the doctor, and names both domains when not', async () => {
    const seen = { accepted: 0, refusedByTheRule: 0, untrustedAnyway: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { trustedCa, spiffeBundles } = configuration(s);
        const trust = resolveTrust(trustedCa, undefined, spiffeBundles);
        const policy = new CertificatePolicy({
          trustStore: new TrustStore(trust.cas),
          allowedTypes: 'chained',
          pins: new FingerprintPins([]),
          securityLevel: 2,
          trustDomains: trust.trustDomains,
        });
        const { leaf, chain } = caller(s);
        const expected = model(s);
        const verdict = (o: { ok: boolean }) => (o.ok ? 'accepted' : 'untrusted');

        const forwarded = policy.evaluateForwarded(leaf, 'forwarded', chain);
        expect(verdict(forwarded), 'forwarded').toBe(expected);
        // Direct: what the handshake says of the chain (any trusted CA), then the policy.
        const anchored =
          s.caFile.includes(s.root) || DOMAINS.some((d) => s.bundles[d]?.includes(s.root));
        const direct = policy.evaluateHandshake(
          leaf,
          anchored
            ? { authorized: true }
            : { authorized: false, error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
          () => chain,
        );
        expect(verdict(direct), 'direct').toBe(expected);
        if (!forwarded.ok) expect(forwarded.code).toBe('MTLS_CERT_UNTRUSTED');

        const doctor = await new CertificateExplainer({
          trustedCa,
          spiffeBundles,
          securityLevel: 2,
        }).explain(leaf, chain);
        expect(doctor.code === undefined ? 'accepted' : 'untrusted', 'doctor').toBe(expected);

        if (forwarded.ok) seen.accepted++;
        else if (anchored) seen.refusedByTheRule++;
        else seen.untrustedAnyway++;
        if (!forwarded.ok && anchored && spiffeBundles) {
          // Refused by the rule: the message names the identity's domain and the anchor's.
          const detail = forwarded.detail ?? '';
          if (s.domain !== 'none') expect(detail).toContain(`trust domain ${s.domain}`);
          const anchorDomains = DOMAINS.filter((d) => s.bundles[d]?.includes(s.root));
          if (anchorDomains.length > 0) expect(detail).toContain(anchorDomains.join(', '));
          else expect(detail).toContain('trusted CA bundle');
          expect(doctor.steps.find((step) => step.check === 'trust-domain')).toMatchObject({
            ok: false,
            detail,
          });
        }
      }),
      { numRuns: 400 },
    );
    // Not one-sided: each kind of answer is generated often.
    expect(seen.accepted).toBeGreaterThan(40);
    expect(seen.refusedByTheRule).toBeGreaterThan(40);
    expect(seen.untrustedAnyway).toBeGreaterThan(10);
  });
});

describe('SPIFFE bundles', () => {
  it('reads PEM and the SPIFFE bundle format (JWKS, keys of use x509-svid), and skips other keys', () => {
    const [a, b] = [pki.roots[0]!, pki.roots[1]!];
    const fingerprints = (cas: X509Certificate[]) => cas.map((c) => c.fingerprint256);
    const expected = [a, b].map((c) => new X509Certificate(c.certPem).fingerprint256);
    expect(fingerprints(parseSpiffeBundle(a.certPem + b.certPem))).toEqual(expected);
    expect(fingerprints(parseSpiffeBundle(jwks([a, b])))).toEqual(expected);
    expect(fingerprints(parseSpiffeBundle(Buffer.from(jwks([a, b]))))).toEqual(expected);
  });

  it.each<[string, () => string, string]>([
    ['not JSON', () => '{ "keys": [', 'is not JSON'],
    ['JSON without keys', () => '{"spiffe_sequence": 1}', '"keys" array'],
    ['only JWT keys', () => '{"keys":[{"kty":"EC","use":"jwt-svid"}]}', 'holds no X.509 CA'],
    [
      'an x509-svid key with two certificates',
      () => {
        const der = new X509Certificate(pki.roots[0]!.certPem).raw.toString('base64');
        return JSON.stringify({ keys: [{ kty: 'EC', use: 'x509-svid', x5c: [der, der] }] });
      },
      'the one entry of "x5c"',
    ],
    [
      'an x509-svid key whose x5c is not base64',
      () => JSON.stringify({ keys: [{ kty: 'EC', use: 'x509-svid', x5c: ['%%%'] }] }),
      'is not base64',
    ],
    [
      'an x509-svid key whose x5c is not a certificate',
      () => JSON.stringify({ keys: [{ kty: 'EC', use: 'x509-svid', x5c: ['AAAA'] }] }),
      'is not a DER X.509 certificate',
    ],
    ['nothing at all', () => '', 'holds no X.509 CA'],
  ])('refuses a bundle that is %s, saying so', (_name, content, message) => {
    expect(() => parseSpiffeBundle(content())).toThrow(message);
  });

  it.each<[string, Record<string, string>, string]>([
    ['an upper-case trust domain', { 'A.example': 'x' }, 'upper-case'],
    [
      'a trust domain with a scheme',
      { 'spiffe://a.example': 'x' },
      'trust domain "spiffe://a.example"',
    ],
    ['a trust domain with a port', { 'a.example:8443': 'x' }, 'port'],
    ['no trust domain', {}, 'names no trust domain'],
  ])('stops start-up for %s, naming spiffeBundles', (_name, spiffeBundles, message) => {
    const options = () =>
      resolveMtlsAuthOptions({ trustedCa: pki.other.certPem, spiffeBundles, securityLevel: 2 });
    expect(options).toThrow(MtlsAuthOptionsError);
    try {
      options();
    } catch (error) {
      expect((error as MtlsAuthOptionsError).problems).toEqual([
        { option: 'spiffeBundles', message: expect.stringContaining(message) as string },
      ]);
    }
  });

  it('names the trust domain whose bundle cannot be read', () => {
    expect(() =>
      resolveMtlsAuthOptions({
        trustedCa: pki.other.certPem,
        spiffeBundles: { 'a.example': pki.roots[0]!.certPem, 'b.example': 'not a bundle' },
        securityLevel: 2,
      }),
    ).toThrow(/the bundle of "b.example" holds no X.509 CA/);
  });
});
