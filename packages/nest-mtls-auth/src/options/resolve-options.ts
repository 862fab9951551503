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
  MTLS_AUTH_DEFAULTS,
  type MtlsAuthModuleOptions,
} from './mtls-auth-options.js';
import { MtlsAuthOptionsError, type OptionProblem } from './options-error.js';
import { headerName, httpUrl, list, oneOf, proxies, wholeNumber } from './option-values.js';
import { securityLevelOf } from '../tls/security-level.js';

/** OpenSSL's highest security level; an invalid setting falls back to it (refusing more). */
const MAX_SECURITY_LEVEL = 5;

/** The trusted CAs and their CRLs, parsed. */
export interface ResolvedTrust {
  readonly trustedCa: string | Buffer;
  readonly cas: readonly X509Certificate[];
  readonly crl: string | Buffer | undefined;
  readonly revocation: CrlSet | undefined;
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

/** The options other than the trust material (`trustedCa`, `crl`), which an app reads from files. */
export type MtlsAuthSettings = Omit<MtlsAuthModuleOptions, 'trustedCa' | 'crl'>;

/** {@link MtlsAuthSettings} validated, normalized (header names lower case) and with defaults. */
export type CheckedMtlsAuthSettings = Required<Omit<MtlsAuthSettings, 'ocspUrl'>> &
  Pick<MtlsAuthSettings, 'ocspUrl'>;

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
  const trust = checkTrust(options.trustedCa, options.crl, problems);
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
  const certificateHeader = read('certificateHeader', d.certificateHeader, headerName);
  const verifyHeader = read('verifyHeader', d.verifyHeader, (value) => {
    const name = headerName(value);
    if (name === certificateHeader) {
      throw new Error(
        "must differ from the certificate header: one carries the certificate, the other the proxy's verdict",
      );
    }
    return name;
  });
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
    certificateHeaderFormat: read('certificateHeaderFormat', d.certificateHeaderFormat, (v) =>
      oneOf(v, CERTIFICATE_HEADER_FORMATS),
    ),
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
  };
}

/**
 * {@link resolveTrust}, each problem filed under its option (`trustedCa` or `crl`) in `problems`:
 * `undefined` when there is one.
 */
export function checkTrust(
  trustedCa: string | Buffer,
  crl: string | Buffer | undefined,
  problems: OptionProblem[],
): ResolvedTrust | undefined {
  let trust: ResolvedTrust;
  try {
    trust = resolveTrust(trustedCa, undefined);
  } catch (error) {
    problems.push({ option: 'trustedCa', message: (error as Error).message });
    return undefined;
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
): ResolvedTrust {
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
