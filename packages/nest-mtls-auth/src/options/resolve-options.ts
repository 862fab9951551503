import type { X509Certificate } from 'node:crypto';
import { ALLOWED_CERTIFICATE_TYPES } from '../x509/certificate-policy.js';
import { OCSP_MODES } from '../ocsp/ocsp-mode.js';
import { CrlSet } from '../x509/crl-set.js';
import { FingerprintPins } from '../x509/fingerprint-pins.js';
import { compileIdentityPattern, compileIdentityPatterns } from '../allowlist/identity-pattern.js';
import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { parsePemCertificates } from '../x509/pem.js';
import {
  CERTIFICATE_HEADER_FORMATS,
  ENFORCEMENT_MODES,
  MTLS_AUTH_DEFAULTS,
  PROXY_PRESET_NAMES,
  type BoundTokenSettings,
  type MtlsAuthModuleOptions,
} from './mtls-auth-options.js';
import { MtlsAuthOptionsError, type OptionProblem } from './options-error.js';
import {
  headerName,
  httpUrl,
  list,
  oneOf,
  proxies,
  verdictWords,
  wholeNumber,
} from './option-values.js';
import { PROXY_PRESETS } from './proxy-presets.js';
import { securityLevelOf } from '../tls/security-level.js';
import { parseSpiffeBundle } from '../x509/spiffe-bundle.js';
import { trustDomainProblem } from '../x509/spiffe-id.js';
import { SpiffeTrustDomains } from '../x509/trust-domains.js';

/** OpenSSL's highest security level; an invalid setting falls back to it (refusing more). */
const MAX_SECURITY_LEVEL = 5;

/** The trusted CAs and their CRLs, parsed. */
export interface ResolvedTrust {
  readonly trustedCa: string | Buffer;
  /** Every trusted CA: the bundle's, then the trust domains' bundles' not already in it. */
  readonly cas: readonly X509Certificate[];
  readonly crl: string | Buffer | undefined;
  readonly revocation: CrlSet | undefined;
  /** The SPIFFE trust domains' bundles, as given. */
  readonly spiffeBundles?: Readonly<Record<string, string | Buffer>>;
  /** Their rule, when there are any. */
  readonly trustDomains?: SpiffeTrustDomains;
}

/** Who may call: the service-wide allowlist and the pins, compiled. */
export interface ResolvedAccess {
  readonly allowedServices: IdentityMatcher | undefined;
  readonly pins: FingerprintPins;
}

/** Every option validated, compiled, and with its default applied. */
export type ResolvedMtlsAuthOptions = Omit<
  CheckedMtlsAuthSettings,
  'allowedServices' | 'trustedForwarders'
> &
  ResolvedTrust &
  ResolvedAccess & {
    readonly trustedForwarders: IdentityMatcher | undefined;
  };

/**
 * The options other than the trust material (`trustedCa`, `crl`, `spiffeBundles`), which an app
 * reads from files.
 */
export type MtlsAuthSettings = Omit<MtlsAuthModuleOptions, 'trustedCa' | 'crl' | 'spiffeBundles'>;

/** The settings that have no default: `undefined` means none. */
type OptionalSettings = 'ocspUrl' | 'certificateChainHeader' | 'proxyPreset' | 'boundToken';

/**
 * {@link MtlsAuthSettings} validated, normalized (header names lower case) and with defaults (a
 * `proxyPreset`'s values where it has one and the option is not given).
 */
export type CheckedMtlsAuthSettings = Required<Omit<MtlsAuthSettings, OptionalSettings>> &
  Pick<MtlsAuthSettings, OptionalSettings>;

/**
 * Validates every option but the trust material, and returns them normalized with their defaults:
 * what an application calls before it has read any file, to report bad settings at once.
 *
 * @throws {MtlsAuthOptionsError} listing each invalid option with what is wrong.
 */
export function checkMtlsAuthSettings(settings: MtlsAuthSettings): CheckedMtlsAuthSettings {
  const problems: OptionProblem[] = [];
  const checked = check(settings, problems);
  if (problems.length > 0) throw new MtlsAuthOptionsError(problems);
  return checked;
}

/**
 * Validates the module's options and resolves them (parses the CA bundle and CRLs, compiles the
 * patterns and pins, applies the defaults). Every problem is reported at once.
 *
 * @throws {MtlsAuthOptionsError} listing each invalid option with what is wrong.
 */
export function resolveMtlsAuthOptions(options: MtlsAuthModuleOptions): ResolvedMtlsAuthOptions {
  const problems: OptionProblem[] = [];
  const settings = check(options, problems);
  const trust = checkTrust(options.trustedCa, options.crl, problems, options.spiffeBundles);
  if (problems.length > 0 || !trust) throw new MtlsAuthOptionsError(problems);
  return {
    ...settings,
    ...trust,
    ...resolveAccess(settings.allowedServices, settings.allowedFingerprints),
    trustedForwarders: compileIdentityPatterns(settings.trustedForwarders),
  };
}

/** Each setting checked (problems collected), normalized, with its default. */
function check(settings: MtlsAuthSettings, problems: OptionProblem[]): CheckedMtlsAuthSettings {
  const d = MTLS_AUTH_DEFAULTS;
  const read = <K extends keyof CheckedMtlsAuthSettings>(
    option: K,
    fallback: CheckedMtlsAuthSettings[K],
    validate: (value: NonNullable<MtlsAuthSettings[K]>) => CheckedMtlsAuthSettings[K],
  ): CheckedMtlsAuthSettings[K] => {
    const value = settings[option];
    if (value === undefined) return fallback;
    try {
      return validate(value);
    } catch (error) {
      problems.push({ option, message: (error as Error).message });
      return fallback;
    }
  };
  // A preset gives the proxy's values in place of the defaults; options given explicitly win.
  const proxyPreset = read('proxyPreset', undefined, (v) => oneOf(v, PROXY_PRESET_NAMES));
  const preset = proxyPreset === undefined ? undefined : PROXY_PRESETS[proxyPreset];
  const certificateHeader = read(
    'certificateHeader',
    preset?.certificateHeader ?? d.certificateHeader,
    headerName,
  );
  const verifyHeader = read('verifyHeader', preset?.verifyHeader ?? d.verifyHeader, (value) => {
    const name = headerName(value);
    if (name === certificateHeader) {
      throw new Error(
        "must differ from the certificate header: one carries the certificate, the other the proxy's verdict",
      );
    }
    return name;
  });
  const certificateChainHeader = read(
    'certificateChainHeader',
    preset?.certificateChainHeader,
    (value) => {
      const name = headerName(value);
      if (name === certificateHeader || name === verifyHeader) {
        throw new Error(
          'must differ from the certificate and verdict headers: each header carries one thing',
        );
      }
      return name;
    },
  );
  return {
    allowedCertificateTypes: read('allowedCertificateTypes', d.allowedCertificateTypes, (v) =>
      oneOf(v, ALLOWED_CERTIFICATE_TYPES),
    ),
    allowedServices: read('allowedServices', [], (v) => (patterns(v), [...v])),
    allowedFingerprints: read('allowedFingerprints', [], (v) => (pins(v), [...v])),
    trustedProxies: read('trustedProxies', [], proxies),
    trustedProxyIdentities: read('trustedProxyIdentities', [], (v) => (patterns(v), [...v])),
    trustedForwarders: read('trustedForwarders', [], (v) => (patterns(v), [...v])),
    certificateHeader,
    verifyHeader,
    certificateHeaderFormat: read(
      'certificateHeaderFormat',
      preset?.certificateHeaderFormat ?? d.certificateHeaderFormat,
      (v) => oneOf(v, CERTIFICATE_HEADER_FORMATS),
    ),
    certificateChainHeader,
    verifySuccessValues: read(
      'verifySuccessValues',
      preset?.verifySuccessValues ?? d.verifySuccessValues,
      verdictWords,
    ),
    proxyPreset,
    ocsp: read('ocsp', d.ocsp, (v) => oneOf(v, OCSP_MODES)),
    ocspUrl: read('ocspUrl', undefined, httpUrl),
    ocspTimeoutMs: read('ocspTimeoutMs', d.ocspTimeoutMs, (v) => wholeNumber(v, 100, 60_000)),
    callerCacheSize: read('callerCacheSize', d.callerCacheSize, (v) =>
      wholeNumber(v, 1, 1_000_000),
    ),
    // Read from OpenSSL only when not given: it makes a few probe keys.
    securityLevel:
      settings.securityLevel === undefined
        ? securityLevelOf()
        : read('securityLevel', MAX_SECURITY_LEVEL, (v) => wholeNumber(v, 0, MAX_SECURITY_LEVEL)),
    enforcement: read('enforcement', d.enforcement, (v) => oneOf(v, ENFORCEMENT_MODES)),
    callerInventorySize: read('callerInventorySize', d.callerInventorySize, (v) =>
      wholeNumber(v, 0, 1_000_000),
    ),
    boundToken: read('boundToken', undefined, boundToken),
  };
}

/** The bound-token settings, checked: an HTTPS JWKS URL, an issuer and an audience. */
function boundToken(value: BoundTokenSettings): BoundTokenSettings {
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (!text(value.issuer)) throw new Error('issuer must be the authorization server issuer');
  if (!text(value.audience)) throw new Error("audience must be this service's identifier");
  let url: URL | undefined;
  try {
    url = new URL(value.jwksUrl);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') {
    throw new Error(
      `jwksUrl ${JSON.stringify(value.jwksUrl)} must be an https:// URL (the keys that sign tokens are fetched from a verified server only)`,
    );
  }
  for (const key of ['jwksCacheMaxAgeMs', 'jwksCooldownMs', 'clockToleranceSec'] as const) {
    const n = value[key];
    if (n !== undefined) wholeNumber(n, 0, 86_400_000);
  }
  return value;
}

/**
 * {@link resolveTrust}, each problem filed under its option (`trustedCa`, `spiffeBundles` or
 * `crl`) in `problems`: `undefined` when there is one.
 */
export function checkTrust(
  trustedCa: string | Buffer,
  crl: string | Buffer | undefined,
  problems: OptionProblem[],
  spiffeBundles?: Readonly<Record<string, string | Buffer>>,
): ResolvedTrust | undefined {
  let trust: ResolvedTrust;
  try {
    trust = resolveTrust(trustedCa, undefined);
  } catch (error) {
    problems.push({ option: 'trustedCa', message: (error as Error).message });
    return undefined;
  }
  if (spiffeBundles !== undefined) {
    try {
      trust = withTrustDomains(trust, spiffeBundles);
    } catch (error) {
      problems.push({ option: 'spiffeBundles', message: (error as Error).message });
      return undefined;
    }
  }
  if (crl === undefined) return trust;
  try {
    return { ...trust, crl, revocation: crlSet(crl, trust.cas) };
  } catch (error) {
    problems.push({ option: 'crl', message: (error as Error).message });
    return undefined;
  }
}

/**
 * A CA bundle and its CRLs, parsed and checked together (for start-up and hot reloads).
 *
 * @throws {Error} saying what is wrong.
 */
export function resolveTrust(
  trustedCa: string | Buffer,
  crl: string | Buffer | undefined,
  spiffeBundles?: Readonly<Record<string, string | Buffer>>,
): ResolvedTrust {
  if (spiffeBundles !== undefined) {
    const trust = withTrustDomains(resolveTrust(trustedCa, undefined), spiffeBundles);
    return crl === undefined ? trust : { ...trust, crl, revocation: crlSet(crl, trust.cas) };
  }
  if (typeof trustedCa !== 'string' && !Buffer.isBuffer(trustedCa)) {
    throw new Error('must be the PEM text of the CA bundle (a string or a Buffer)');
  }
  const text = trustedCa.toString();
  // Node's OpenSSL also reads these two labels as CAs, the second with trust settings of its own
  // (which it obeys and no certificate arriving from a proxy could be checked against): a
  // bundle must say plainly what it trusts.
  if (text.includes('-----BEGIN TRUSTED CERTIFICATE-----')) {
    throw new Error(
      'holds a "TRUSTED CERTIFICATE" block, whose OpenSSL trust settings this service does not apply the same way on every path: write it out as a plain certificate (openssl x509 -in ca.pem -out ca-plain.pem) and use that',
    );
  }
  if (text.includes('-----BEGIN X509 CERTIFICATE-----')) {
    throw new Error('holds an "X509 CERTIFICATE" block (the old label): relabel it "CERTIFICATE"');
  }
  const cas = parsePemCertificates(text);
  if (cas.length === 0) {
    throw new Error(
      'holds no PEM certificate: give the bundle of CAs (roots and intermediates) that issue client certificates',
    );
  }
  return { trustedCa, cas, crl, revocation: crl === undefined ? undefined : crlSet(crl, cas) };
}

/**
 * The trust domains' bundles parsed and added to `trust`: their CAs join the trusted ones, and
 * their rule holds each domain's identities to its own CAs (see `SpiffeTrustDomains`).
 *
 * @throws {Error} naming the trust domain whose name or bundle is wrong.
 */
function withTrustDomains(
  trust: ResolvedTrust,
  spiffeBundles: Readonly<Record<string, string | Buffer>>,
): ResolvedTrust {
  const given: unknown = spiffeBundles;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new Error('must map each trust domain name to its bundle (an object)');
  }
  const entries = Object.entries(spiffeBundles);
  if (entries.length === 0) {
    throw new Error(
      'names no trust domain: map each trust domain to its bundle, or leave it unset',
    );
  }
  const bundles = new Map<string, X509Certificate[]>();
  for (const [domain, content] of entries) {
    const problem = trustDomainProblem(domain);
    if (problem !== undefined) throw new Error(`trust domain "${domain}" ${problem}`);
    if (typeof content !== 'string' && !Buffer.isBuffer(content)) {
      throw new Error(
        `the bundle of "${domain}" must be its PEM or JWKS text (a string or a Buffer)`,
      );
    }
    try {
      bundles.set(domain, parseSpiffeBundle(content));
    } catch (error) {
      throw new Error(`the bundle of "${domain}" ${(error as Error).message}`, { cause: error });
    }
  }
  const trustDomains = new SpiffeTrustDomains(bundles, trust.cas);
  const known = new Set(trust.cas.map((ca) => ca.fingerprint256));
  const cas = [...trust.cas, ...trustDomains.cas.filter((ca) => !known.has(ca.fingerprint256))];
  return { ...trust, cas, spiffeBundles, trustDomains };
}

/**
 * The allowlist and pins, compiled (for start-up and hot reloads of who may call).
 *
 * @throws {Error} naming the first invalid pattern or pin.
 */
export function resolveAccess(
  allowedServices: readonly string[],
  allowedFingerprints: readonly string[],
): ResolvedAccess {
  return { allowedServices: patterns(allowedServices), pins: pins(allowedFingerprints) };
}

function crlSet(crl: string | Buffer, cas: readonly X509Certificate[]): CrlSet {
  return new CrlSet(crl.toString(), cas);
}

function patterns(values: readonly string[]): IdentityMatcher | undefined {
  list(values, 'identity patterns');
  for (const value of values) compileIdentityPattern(value);
  return compileIdentityPatterns(values);
}

function pins(values: readonly string[]): FingerprintPins {
  return new FingerprintPins(list(values, 'fingerprints'));
}
