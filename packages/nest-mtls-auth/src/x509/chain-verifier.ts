import type { X509Certificate } from 'node:crypto';
import type { MtlsReasonCode } from './reason-code.js';
import type { TrustStore } from './trust-store.js';
import {
  checkAkid,
  CertificateProfile,
  KeyUsageBit,
  NetscapeCertType,
} from './verify/certificate-profile.js';
import { checkCommonNames, checkNames } from './verify/name-constraints.js';
import { canSignTls, meetsLevel } from './verify/security-bits.js';
import { reasonOf, VERIFY_ERROR_TEXT, type VerifyError } from './verify/verify-error.js';

/** Checks revocation (a loaded CRL set, see `CrlSet`). */
export interface RevocationChecker {
  /**
   * The revocation errors of the certificate at `index` of a built `chain` (leaf first), OpenSSL's
   * names (`CERT_REVOKED`, `UNABLE_TO_GET_CRL`, `CRL_HAS_EXPIRED`, ...); none when it is good.
   *
   * @param now epoch seconds.
   */
  check(chain: readonly CertificateProfile[], index: number, now: number): readonly string[];
}

/** What the handshake's verification is configured with, besides the bundle and CRLs. */
export interface VerificationSettings {
  /**
   * OpenSSL's security level of the server's TLS context (0-5): the weakest key and signature
   * digest a chain may use. Node's default with OpenSSL 3.5 is 2 (RSA >= 2048, no SHA-1).
   */
  readonly securityLevel: number;
  /** The verification depth (OpenSSL's default, which Node keeps: 100 intermediates). */
  readonly depth?: number;
}

/** A path from the leaf to a trust anchor, or why there is none that holds. */
export type ChainVerdict =
  | {
      readonly ok: true;
      readonly chain: readonly X509Certificate[];
      /** The same path, as the verifier read each certificate (name constraints, usages). */
      readonly profiles: readonly CertificateProfile[];
    }
  | {
      readonly ok: false;
      readonly code: MtlsReasonCode;
      readonly reason: string;
      /** The path that was built (leaf first), trusted or not; at least the leaf. */
      readonly path: readonly X509Certificate[];
      /** The index in `path` of the certificate the refusal is about. */
      readonly link: number;
      /** Every error found, in OpenSSL's order; the reason is taken from them. */
      readonly errors: readonly VerifyError[];
    };

/** OpenSSL's default verification depth (`X509_VERIFY_PARAM` "default"), which Node keeps. */
export const DEFAULT_VERIFY_DEPTH = 100;

/**
 * Verifies a client certificate as the TLS handshake does: `X509_verify_cert` of OpenSSL 3.5 with
 * the `ssl_client` purpose, the server's security level, trusted-first path building, CRLs of
 * every link (Node's `crl` option), and no flags beyond those Node sets. Each step is OpenSSL's,
 * in OpenSSL's order, named after the function it mirrors in crypto/x509/x509_vfy.c:
 *
 * 1. the leaf's key against the security level;
 * 2. `build_chain`: at each step an issuer from the bundle first (matched by canonical name,
 *    authority key identifier and signature algorithm; the first one currently valid, else the
 *    one that expires last), else from the certificates the client sent; no backtracking; a path
 *    is trusted when it reaches a self-signed certificate of the bundle;
 * 3. `check_extensions`: critical extensions, CA flags, the `sslclient` purpose (extended key
 *    usage, keyUsage, Netscape cert type), path lengths;
 * 4. `check_auth_level`: the CAs' keys and every non-anchor signature digest;
 * 5. revocation of every link;
 * 6. `internal_verify`: keyCertSign of each issuer, each signature, each validity period (the
 *    times in RFC 5280's form only);
 * 7. `check_name_constraints`, every name form, and the leaf's CN where OpenSSL checks it.
 *
 * Every error is collected, as OpenSSL reports each to Node's callback and goes on; the reason
 * code is chosen from them by {@link reasonOf}. The work is bounded as OpenSSL's is: a path of at
 * most `depth + 2` certificates, one signature check per link. Pure: no I/O, no framework.
 *
 * The claim "same verdict as the handshake" is tested by generation: test/e2e/trust-parity
 * presents thousands of generated chains to the running service over TLS and through a proxy.
 */
export class ChainVerifier {
  private readonly level: number;
  private readonly maxDepth: number;

  constructor(
    private readonly store: TrustStore,
    private readonly revocation: RevocationChecker | undefined,
    settings: VerificationSettings,
  ) {
    this.level = settings.securityLevel;
    this.maxDepth = (settings.depth ?? DEFAULT_VERIFY_DEPTH) + 1;
  }

  /**
   * @param presented certificates the client sent after its leaf: untrusted, they may complete a
   *   path, never end one.
   * @throws {Error} only when the leaf cannot be read at all.
   */
  verify(
    leaf: X509Certificate,
    presented: readonly X509Certificate[] = [],
    now: number = Date.now(),
  ): ChainVerdict {
    const run = new Verification(this.store, this.level, this.maxDepth, now);
    const chain = run.buildChain(this.profileOf(leaf), presented);
    run.checkExtensions(chain);
    run.checkAuthLevel(chain);
    if (this.revocation) run.checkRevocation(chain, this.revocation);
    run.internalVerify(chain);
    run.checkNameConstraints(chain);
    run.checkLeafKey(chain);
    const certs = chain.certs.map((p) => p.cert);
    if (run.errors.length === 0) return { ok: true, chain: certs, profiles: chain.certs };
    const { code, error } = reasonOf(run.errors);
    return {
      ok: false,
      code,
      reason: VERIFY_ERROR_TEXT[error.code] ?? error.code,
      path: certs,
      link: Math.min(error.depth, certs.length - 1),
      errors: run.errors,
    };
  }

  /** The bundle's own profile of a certificate, or a new one. */
  profileOf(cert: X509Certificate): CertificateProfile {
    return this.store.entry(cert) ?? new CertificateProfile(cert);
  }
}

/** The chain being built: certificates leaf first, and how many of them are untrusted. */
interface Chain {
  readonly certs: CertificateProfile[];
  numUntrusted: number;
  trusted: boolean;
}

/** One verification's state: its time, and the errors found so far. */
class Verification {
  readonly errors: VerifyError[] = [];
  /** OpenSSL compares times in whole seconds. */
  private readonly now: number;

  constructor(
    private readonly store: TrustStore,
    private readonly level: number,
    private readonly maxDepth: number,
    nowMs: number,
  ) {
    this.now = Math.floor(nowMs / 1000);
  }

  private fail(code: string, depth: number): void {
    this.errors.push({ code, depth });
  }

  /** `x509_verify_x509`'s first check, then `build_chain` with trusted-first lookups. */
  buildChain(leaf: CertificateProfile, presented: readonly X509Certificate[]): Chain {
    if (!meetsLevel(leaf.keyBits, this.level)) this.fail('EE_KEY_TOO_SMALL', 0);
    const chain: Chain = { certs: [leaf], numUntrusted: 1, trusted: false };
    // As with TLS, the untrusted list is the peer's whole message: the leaf, then what it sent.
    const untrusted = new UntrustedList(leaf, presented);
    let searchUntrusted = true;
    let searchTrusted = true;
    while (searchTrusted || searchUntrusted) {
      let num = chain.certs.length;
      if (searchTrusted) {
        const curr = chain.certs[num - 1] as CertificateProfile;
        const issuer = num > this.maxDepth ? undefined : this.trustedIssuer(curr);
        if (issuer) {
          let ok = true;
          let selfSigned = curr.selfSigned;
          if (!selfSigned) {
            chain.certs.push(issuer);
            selfSigned = issuer.selfSigned;
          } else if (issuer.fingerprint !== curr.fingerprint) {
            // A self-signed certificate that only mimics a trusted one (same name, other key).
            ok = false;
          } else {
            chain.certs[num - 1] = issuer;
            chain.numUntrusted = --num;
          }
          if (ok) {
            searchUntrusted = false;
            if (isAnchored(chain.certs, num)) {
              chain.trusted = true;
              break;
            }
            if (!selfSigned) continue;
          }
        }
        if (!searchUntrusted) break;
      }
      if (searchUntrusted) {
        num = chain.certs.length;
        const curr = chain.certs[num - 1] as CertificateProfile;
        const issuer =
          curr.selfSigned || num > this.maxDepth
            ? undefined
            : untrusted.bestIssuer(curr, chain, this);
        if (!issuer) {
          searchUntrusted = false;
          searchTrusted = true;
          continue;
        }
        untrusted.remove(issuer);
        chain.certs.push(issuer);
        chain.numUntrusted++;
      }
    }
    if (!chain.trusted) this.reportUntrusted(chain);
    return chain;
  }

  /** The error `build_chain` reports for a chain that reached no anchor. */
  private reportUntrusted(chain: Chain): void {
    const num = chain.certs.length;
    const previous = this.errors[this.errors.length - 1];
    if (previous) {
      // "A preliminary error has become final": reported again, at the top of the chain.
      this.fail(previous.code, num - 1);
      return;
    }
    const top = chain.certs[num - 1] as CertificateProfile;
    if (num > this.maxDepth) this.fail('CERT_CHAIN_TOO_LONG', num - 1);
    else if (top.selfSigned) {
      this.fail(num === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN', num - 1);
    } else {
      this.fail(
        chain.numUntrusted < num
          ? 'UNABLE_TO_GET_ISSUER_CERT'
          : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        num - 1,
      );
    }
  }

  /**
   * `X509_STORE_CTX_get1_issuer`: of the bundle's certificates named as `cert`'s issuer (in bundle
   * order) that may have issued it, the first currently valid, else the one that expires last.
   */
  private trustedIssuer(cert: CertificateProfile): CertificateProfile | undefined {
    return bestIssuer(this.store.withSubject(cert.issuerKey), cert, this, () => true);
  }

  /** `ossl_x509_check_cert_time` without reporting: valid now, both times readable. */
  isCurrent(cert: CertificateProfile): boolean {
    return (
      cert.notBefore !== undefined &&
      cert.notAfter !== undefined &&
      cert.notBefore <= this.now &&
      this.now < cert.notAfter
    );
  }

  /** `check_extensions`. */
  checkExtensions(chain: Chain): void {
    const certs = chain.certs;
    const num = certs.length;
    let mustBeCa = -1;
    let plen = 0;
    for (let i = 0; i < num; i++) {
      const x = certs[i] as CertificateProfile;
      if (x.unhandledCritical !== undefined) this.fail('UNHANDLED_CRITICAL_EXTENSION', i);
      if (x.proxy) this.fail('PROXY_CERTIFICATES_NOT_ALLOWED', i);
      const ca = checkCa(x);
      if (mustBeCa === 0 && ca !== 0) this.fail('INVALID_NON_CA', i);
      if (mustBeCa > 0 && (ca === 0 || (i + 1 < num && ca !== 1))) this.fail('INVALID_CA', i);
      if (num > 1) {
        if (x.publicKey === undefined) this.fail('UNSPECIFIED', i);
        else if (x.explicitCurve) this.fail('EC_KEY_EXPLICIT_PARAMS', i);
      }
      // check_purpose: a bundle certificate has no auxiliary trust here, so the purpose decides.
      if (!x.invalid && !sslClientPurpose(x, mustBeCa > 0)) this.fail('INVALID_PURPOSE', i);
      if (i > 1 && x.pathLen !== -1 && plen > x.pathLen) this.fail('PATH_LENGTH_EXCEEDED', i);
      if (i > 0 && !x.selfIssued) plen++;
      mustBeCa = x.proxy ? 0 : 1;
    }
  }

  /** `check_auth_level`: keys above the leaf, and every signature but the anchor's. */
  checkAuthLevel(chain: Chain): void {
    if (this.level <= 0) return;
    const num = chain.certs.length;
    for (let i = 0; i < num; i++) {
      const x = chain.certs[i] as CertificateProfile;
      if (i > 0 && !meetsLevel(x.keyBits, this.level)) this.fail('CA_KEY_TOO_SMALL', i);
      if (i < num - 1 && !meetsLevel(x.signatureBits, this.level)) this.fail('CA_MD_TOO_WEAK', i);
    }
  }

  /** `check_revocation` with `X509_V_FLAG_CRL_CHECK_ALL` (Node's `crl` option): every link. */
  checkRevocation(chain: Chain, revocation: RevocationChecker): void {
    for (let i = 0; i < chain.certs.length; i++) {
      for (const code of revocation.check(chain.certs, i, this.now)) this.fail(code, i);
    }
  }

  /**
   * The service's own rule: a leaf whose key cannot sign a TLS handshake (X25519, secp256k1, ...)
   * could never have been presented directly, so it is refused however it arrives.
   */
  checkLeafKey(chain: Chain): void {
    if (!canSignTls((chain.certs[0] as CertificateProfile).publicKey)) {
      this.fail('KEY_CANNOT_SIGN_TLS', 0);
    }
  }

  /** `internal_verify`: from the anchor down, each issuer's keyUsage, signature and time. */
  internalVerify(chain: Chain): void {
    const certs = chain.certs;
    let n = certs.length - 1;
    let xi = certs[n] as CertificateProfile;
    let xs = xi;
    if (!likelyIssued(xi, xi)) {
      // The top is not self-issued: a chain that reached no anchor.
      if (n > 0) xs = certs[--n] as CertificateProfile;
      else this.fail('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 0);
    }
    for (;;) {
      if (xs !== xi) {
        if (!xs.proxy && !xi.keyUsageAllows(KeyUsageBit.keyCertSign)) {
          this.fail('KEYUSAGE_NO_CERTSIGN', n + 1);
        } else if (xs.proxy && !xi.keyUsageAllows(KeyUsageBit.digitalSignature)) {
          this.fail('KEYUSAGE_NO_DIGITAL_SIGNATURE', n + 1);
        }
        if (xi.publicKey === undefined) this.fail('UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', n + 1);
        else if (!signatureVerifies(xs, xi)) this.fail('CERT_SIGNATURE_FAILURE', n);
      }
      this.checkTime(xs, n);
      if (--n < 0) break;
      xi = xs;
      xs = certs[n] as CertificateProfile;
    }
  }

  private checkTime(x: CertificateProfile, depth: number): void {
    if (x.notBefore === undefined) this.fail('ERROR_IN_CERT_NOT_BEFORE_FIELD', depth);
    else if (x.notBefore > this.now) this.fail('CERT_NOT_YET_VALID', depth);
    if (x.notAfter === undefined) this.fail('ERROR_IN_CERT_NOT_AFTER_FIELD', depth);
    else if (x.notAfter <= this.now) this.fail('CERT_HAS_EXPIRED', depth);
  }

  /** `check_name_constraints`: each certificate against the constraints of every CA above it. */
  checkNameConstraints(chain: Chain): void {
    const certs = chain.certs;
    for (let i = certs.length - 1; i >= 0; i--) {
      const x = certs[i] as CertificateProfile;
      if (i !== 0 && x.selfIssued) continue;
      for (let j = certs.length - 1; j > i; j--) {
        const nc = (certs[j] as CertificateProfile).nameConstraints;
        if (!nc) continue;
        let result = checkNames(x.constrainedNames, nc);
        if (result === 'OK' && i === 0 && !x.hasDnsAltName) {
          result = checkCommonNames(x.commonNames, nc);
        }
        if (result !== 'OK') this.fail(result, i);
      }
    }
    // RFC 3779 path validation is OpenSSL's next step. The service refuses resource certificates
    // on every way instead (a policy of its own, which the direct path applies after the
    // handshake): they identify no client.
    for (let i = 0; i < certs.length; i++) {
      if ((certs[i] as CertificateProfile).rfc3779) this.fail('RFC3779_RESOURCES', i);
    }
  }
}

/**
 * The certificates the client sent, as OpenSSL's working copy of them: its leaf first, each read
 * only when first looked at as an issuer, and taken out once it joins the chain.
 */
class UntrustedList {
  private readonly entries: { cert: X509Certificate; profile?: CertificateProfile | null }[];

  constructor(leaf: CertificateProfile, presented: readonly X509Certificate[]) {
    this.entries = [{ cert: leaf.cert, profile: leaf }, ...presented.map((cert) => ({ cert }))];
  }

  /** `get0_best_issuer_sk(..., no_dup)` over what is left of the list. */
  bestIssuer(
    cert: CertificateProfile,
    chain: Chain,
    run: Verification,
  ): CertificateProfile | undefined {
    const candidates: CertificateProfile[] = [];
    for (const entry of this.entries) {
      if (entry.profile === undefined) entry.profile = readProfile(entry.cert);
      if (entry.profile) candidates.push(entry.profile);
    }
    const allowSelf = cert.selfIssued && chain.certs.length === 1;
    return bestIssuer(
      candidates,
      cert,
      run,
      (c) => allowSelf || !chain.certs.some((x) => x.fingerprint === c.fingerprint),
    );
  }

  remove(profile: CertificateProfile): void {
    const i = this.entries.findIndex((e) => e.profile === profile);
    if (i >= 0) this.entries.splice(i, 1);
  }
}

/** A presented certificate's profile, `null` when it cannot be read (it completes no path). */
function readProfile(cert: X509Certificate): CertificateProfile | null {
  try {
    return new CertificateProfile(cert);
  } catch {
    return null;
  }
}

/**
 * `get0_best_issuer_sk`: of `candidates` that `check_issued` accepts as `cert`'s issuer, the
 * first currently valid, else the first of those that expire last.
 */
function bestIssuer(
  candidates: readonly CertificateProfile[],
  cert: CertificateProfile,
  run: Verification,
  eligible: (candidate: CertificateProfile) => boolean,
): CertificateProfile | undefined {
  let best: CertificateProfile | undefined;
  for (const candidate of candidates) {
    if (!eligible(candidate) || !likelyIssued(candidate, cert)) continue;
    if (run.isCurrent(candidate)) return candidate;
    if (
      best === undefined ||
      (candidate.notAfter !== undefined &&
        best.notAfter !== undefined &&
        candidate.notAfter > best.notAfter)
    ) {
      best = candidate;
    }
  }
  return best;
}

/**
 * `ossl_x509_likely_issued`: names match, both certificates read, the subject's authority key
 * identifier fits the issuer, and the subject's signature algorithm fits the issuer's key. No
 * signature is checked here (OpenSSL checks it once the path is built).
 */
function likelyIssued(issuer: CertificateProfile, subject: CertificateProfile): boolean {
  return (
    issuer.subjectKey === subject.issuerKey &&
    !issuer.invalid &&
    !subject.invalid &&
    checkAkid(issuer, subject.authorityKeyId) &&
    subject.signatureMatchesKey(issuer)
  );
}

/** `check_trust` for the certificates from index `from` on: one is a self-signed anchor. */
function isAnchored(certs: readonly CertificateProfile[], from: number): boolean {
  for (let i = from; i < certs.length; i++) {
    const x = certs[i] as CertificateProfile;
    if (!x.invalid && x.selfSigned) return true;
  }
  return false;
}

/**
 * `check_ca`: 0 not a CA; 1 basicConstraints CA; 3 a v1 self-signed root; 4 keyUsage with
 * keyCertSign and no basicConstraints; 5 a Netscape CA type. Invalid certificates are no CA.
 */
function checkCa(x: CertificateProfile): number {
  if (x.invalid) return 0;
  if (!x.keyUsageAllows(KeyUsageBit.keyCertSign)) return 0;
  if (x.hasBasicConstraints) return x.ca ? 1 : 0;
  if (x.version === 0 && x.selfSigned) return 3;
  if (x.keyUsage !== undefined) return 4;
  if (x.netscapeCertType !== undefined && (x.netscapeCertType & NetscapeCertType.anyCa) !== 0) {
    return 5;
  }
  return 0;
}

/** `check_purpose_ssl_client`: extended key usage, then for a CA `check_ssl_ca`, for a leaf usages. */
function sslClientPurpose(x: CertificateProfile, nonLeaf: boolean): boolean {
  if (!x.allowsClientAuthUsage) return false;
  if (nonLeaf) {
    const ca = checkCa(x);
    if (ca === 0) return false;
    return ca !== 5 || ((x.netscapeCertType ?? 0) & NetscapeCertType.sslCa) !== 0;
  }
  if (!x.keyUsageAllows(KeyUsageBit.digitalSignature | KeyUsageBit.keyAgreement)) return false;
  return (
    x.netscapeCertType === undefined || (x.netscapeCertType & NetscapeCertType.sslClient) !== 0
  );
}

/** `X509_verify(subject, issuer's key)`, which never throws here. */
function signatureVerifies(subject: CertificateProfile, issuer: CertificateProfile): boolean {
  try {
    return issuer.publicKey !== undefined && subject.cert.verify(issuer.publicKey);
  } catch {
    // An algorithm Node cannot verify is, for trust, the same as a wrong signature.
    return false;
  }
}
