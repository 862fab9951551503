import type { X509Certificate } from 'node:crypto';
import { readCertificateParts } from './certificate-parts.js';
import { id_ce_subjectAltName, id_pe_autonomousSysIds, id_pe_ipAddrBlocks } from './oids.js';
import type { TbsParts } from './tbs-certificate.js';
import { ChainVerifier, type RevocationChecker } from './chain-verifier.js';
import {
  buildClientIdentity,
  MATCH_KEYS,
  refusedCertificate,
  type CertificateIdentity,
  type IdentitySource,
  type RefusedCertificate,
} from './client-identity.js';
import { isClientCertificate } from './certificate-facts.js';
import type { FingerprintPins } from './fingerprint-pins.js';
import { isSelfSigned } from './pem.js';
import { MtlsReasonCode } from './reason-code.js';
import { isPreciseTlsError, reasonForTlsError } from './tls-verify-error.js';
import type { TrustStore } from './trust-store.js';
import type { SpiffeTrustDomains } from './trust-domains.js';
import { spiffeIdOf } from './spiffe-id.js';
import { readGeneralNames } from './extension-values.js';
import type { CertificateProfile } from './verify/certificate-profile.js';
import { dnsNameAllowed, type NameConstraints } from './verify/name-constraints.js';

/** Which certificates may authenticate, as ASP.NET Core's `AllowedCertificateTypes`. */
export const ALLOWED_CERTIFICATE_TYPES = ['chained', 'self-signed', 'all'] as const;
export type AllowedCertificateTypes = (typeof ALLOWED_CERTIFICATE_TYPES)[number];

/** The verdict of the TLS handshake on the peer's certificate. */
export interface TlsVerdict {
  readonly authorized: boolean;
  readonly error?: string | Error | null;
}

/** What authentication decided: an identity, or a reason code (with what the log may say). */
export type AuthOutcome =
  | {
      readonly ok: true;
      readonly identity: CertificateIdentity;
      /** The trusted path, leaf first (for OCSP); absent where OpenSSL built it, or pinned self-signed. */
      readonly chain?: readonly X509Certificate[];
      /**
       * Report-only enforcement: the refusal this identity would get if pins were enforced
       * (`MTLS_FINGERPRINT_FORBIDDEN`); the allowlist guard reports it and lets the caller through.
       */
      readonly wouldRefuse?: MtlsReasonCode;
    }
  | {
      readonly ok: false;
      readonly code: MtlsReasonCode;
      readonly identity?: RefusedCertificate;
      /** What the answer's message says instead of the code's usual one (a trust domain refusal). */
      readonly detail?: string;
      /**
       * A trusted certificate refused by the pins alone: the identity it proves, as an accepted
       * one's (what a proxy proves; pins restrict callers, not proxies).
       */
      readonly provenIdentity?: CertificateIdentity;
    };

/** Everything the policy needs, resolved and validated at start-up. */
export interface CertificatePolicyOptions {
  readonly trustStore: TrustStore;
  readonly allowedTypes: AllowedCertificateTypes;
  readonly pins: FingerprintPins;
  readonly revocation?: RevocationChecker;
  /** The server's OpenSSL security level (see `VerificationSettings.securityLevel`). */
  readonly securityLevel: number;
  /** SPIFFE trust domains and their bundles, whose CAs vouch only for their own identities. */
  readonly trustDomains?: SpiffeTrustDomains;
  /**
   * Report-only enforcement: a trusted certificate that misses the pins is accepted, its outcome
   * carrying `wouldRefuse` (trust, validity and usage are still enforced). @default false
   */
  readonly pinsReportOnly?: boolean;
}

/**
 * Decides whether a client certificate authenticates, and if not, why. One verdict, whichever
 * way the certificate came:
 *
 * - **Direct TLS** ({@link evaluateHandshake}): OpenSSL's handshake verdict decides trust (chain,
 *   signatures, validity, CRLs, the sslclient purpose, the security level). Nothing is rebuilt in
 *   TypeScript, so a resumed session gets the answer of its full handshake. Only when OpenSSL
 *   refused with one of the precise errors (OpenSSL reports its last error: an expired
 *   certificate from an unknown CA reads "expired") does the {@link ChainVerifier} name the reason.
 * - **Forwarded** ({@link evaluateForwarded}): the {@link ChainVerifier}, which applies what the
 *   handshake applies, step for step, against the same bundle, CRLs and security level; a
 *   generated differential test holds the two equal.
 *
 * Both then add what OpenSSL does not ask of a client certificate: the clientAuth extended key
 * usage itself (OpenSSL accepts a leaf without any), no CA certificate as a client, and pins.
 * Self-signed certificates are accepted only when allowed and pinned. A common name counts as an
 * identity only when it satisfies, as a DNS name, the DNS name constraints of every CA on its path
 * (OpenSSL checks a CN only when it has a dot, so `CN=billing-service` would pass a CA limited to
 * `.good.example`). The identity (subject, SANs) is parsed only once the certificate is trusted.
 *
 * Pure: no I/O, no framework; callers remember outcomes (per certificate, connection, header).
 *
 * @see RFC 5280 section 4.2.1.12 (extended key usage), section 4.2.1.10 (name constraints)
 */
export class CertificatePolicy {
  private readonly verifier: ChainVerifier;
  /**
   * Some CA of the bundle carries name constraints or RFC 3779 resources: the path of an accepted
   * direct certificate is looked at.
   */
  private readonly bundleConstrains: boolean;

  constructor(private readonly options: CertificatePolicyOptions) {
    this.verifier = new ChainVerifier(options.trustStore, options.revocation, {
      securityLevel: options.securityLevel,
    });
    this.bundleConstrains = options.trustStore.profiles.some(
      (p) => p.nameConstraints !== undefined || p.rfc3779,
    );
  }

  /**
   * Direct TLS: the handshake's verdict, plus the policy's own rules.
   *
   * @param presented the certificates the client sent above its leaf, asked for only when a
   *   refusal's precise reason must be computed, or a path's name constraints read.
   * @throws {Error} only when an accepted certificate's DER cannot be parsed.
   */
  evaluateHandshake(
    cert: X509Certificate,
    tls: TlsVerdict,
    presented: () => readonly X509Certificate[],
    now: number = Date.now(),
  ): AuthOutcome {
    if (tls.authorized) {
      // Authorized means chained to the bundle (or a self-signed certificate of the bundle).
      if (this.options.allowedTypes === 'self-signed') {
        return this.refuse(cert, 'tls', MtlsReasonCode.CertUntrusted);
      }
      const path = this.directPath(cert, presented, now);
      if (path === 'resources') return this.refuse(cert, 'tls', MtlsReasonCode.CertUntrusted);
      return this.accept(cert, 'tls', undefined, path.constraints, now, path.anchor);
    }
    const selfSigned = this.judgeSelfSigned(cert, 'tls', now);
    if (selfSigned) return selfSigned;
    const mapped = reasonForTlsError(tls.error);
    if (!isPreciseTlsError(tls.error)) return this.refuse(cert, 'tls', mapped);
    // The refusal is certain; find its first reason, as the forwarded path would.
    const verdict = this.verifier.verify(cert, presented(), now);
    return this.refuse(cert, 'tls', verdict.ok ? mapped : verdict.code);
  }

  /**
   * A certificate no handshake of this service has judged under its current trust: forwarded by a
   * proxy, or on a connection opened before the trust configuration changed.
   *
   * @throws {Error} only when the certificate's DER cannot be parsed.
   */
  evaluateForwarded(
    cert: X509Certificate,
    source: IdentitySource = 'forwarded',
    presented: readonly X509Certificate[] = [],
    now: number = Date.now(),
  ): AuthOutcome {
    const selfSigned = this.judgeSelfSigned(cert, source, now);
    if (selfSigned) return selfSigned;
    const verdict = this.verifier.verify(cert, presented, now);
    if (!verdict.ok) return this.refuse(cert, source, verdict.code);
    const anchor = verdict.chain[verdict.chain.length - 1] as X509Certificate;
    return this.accept(cert, source, verdict.chain, constraintsOf(verdict.profiles), now, anchor);
  }

  /**
   * A forwarded certificate whose proxy said its own verification failed (nginx
   * `FAILED:<reason>`, HAProxy's non-zero `ssl_c_verify`): refused whatever this service would
   * say, as a failed handshake is. The reason is the proxy's when it is one of the precise ones
   * (expired, not yet valid, revoked, purpose), confirmed as the handshake's is: OpenSSL reports
   * its last error, so the verifier names the first reason when it refuses too.
   *
   * @param error the OpenSSL name of the proxy's error (`CERT_HAS_EXPIRED`), or `''` when unknown.
   * @param presented the chain the proxy forwarded with it.
   */
  evaluateProxyRefusal(
    cert: X509Certificate,
    error: string,
    presented: readonly X509Certificate[] = [],
    now: number = Date.now(),
  ): AuthOutcome & { ok: false } {
    const mapped = reasonForTlsError(error);
    if (!isPreciseTlsError(error)) return this.refuse(cert, 'forwarded', mapped);
    let code = mapped;
    try {
      const verdict = this.verifier.verify(cert, presented, now);
      if (!verdict.ok) code = verdict.code;
    } catch {
      // A leaf the verifier cannot read: the proxy's reason stands.
    }
    return this.refuse(cert, 'forwarded', code);
  }

  /** The trust domains this policy holds certificates to (the doctor names them). */
  get trustDomains(): SpiffeTrustDomains | undefined {
    return this.options.trustDomains;
  }

  /**
   * The trusted path of a certificate the handshake accepted, leaf first, for an OCSP request
   * (which names the issuer); `undefined` when it cannot be rebuilt (a resumed session whose
   * intermediates are not in the bundle).
   */
  trustedChain(
    cert: X509Certificate,
    presented: readonly X509Certificate[],
  ): readonly X509Certificate[] | undefined {
    const verdict = this.verifier.verify(cert, presented);
    return verdict.ok ? verdict.chain : undefined;
  }

  /**
   * What a direct outcome depends on beyond the leaf and the handshake's verdict: the CAs the
   * client sent that are not in the bundle (their path may carry name constraints, and a precise
   * refusal's reason depends on them). `''` when there are none, which is nearly always: the
   * remembered outcome of a certificate is then shared by every connection that presents it.
   */
  chainKey(presented: readonly X509Certificate[]): string {
    let key = '';
    for (const cert of presented) {
      if (cert.ca && !this.options.trustStore.contains(cert)) key += `|${cert.fingerprint256}`;
    }
    return key;
  }

  /** The verifier this policy judges forwarded certificates with (the doctor explains its steps). */
  get chainVerifier(): ChainVerifier {
    return this.verifier;
  }

  /**
   * The name constraints on the path of a certificate the handshake accepted, or `'resources'`
   * when a certificate of the path carries RFC 3779 address or AS blocks (resource certificates
   * identify no client here; the forwarded verifier refuses them too). Only looked for when some
   * CA could carry them: one of the bundle, or one the client sent that is not in it.
   */
  private directPath(
    cert: X509Certificate,
    presented: () => readonly X509Certificate[],
    now: number,
  ): DirectPath | 'resources' {
    const sent = presented();
    if (!this.bundleConstrains && !this.options.trustDomains && this.chainKey(sent) === '') {
      return { constraints: [], anchor: 'unknown' };
    }
    const verdict = this.verifier.verify(cert, sent, now);
    if (verdict.ok) {
      const anchor = verdict.chain[verdict.chain.length - 1] as X509Certificate;
      return { constraints: constraintsOf(verdict.profiles), anchor };
    }
    if (verdict.path.some((c) => this.verifier.profileOf(c).rfc3779)) return 'resources';
    // The handshake trusted a path this verifier cannot rebuild (a resumed session whose
    // intermediates were sent, not bundled): no constraint is known, so none may be assumed met.
    return { constraints: 'unknown', anchor: 'unknown' };
  }

  /** `undefined` unless `cert` is self-signed and not in the bundle; then the whole verdict. */
  private judgeSelfSigned(
    cert: X509Certificate,
    source: IdentitySource,
    now: number,
  ): AuthOutcome | undefined {
    const { trustStore, allowedTypes, pins } = this.options;
    if (!isSelfSigned(cert) || trustStore.contains(cert)) {
      return allowedTypes === 'self-signed'
        ? this.refuse(cert, source, MtlsReasonCode.CertUntrusted)
        : undefined;
    }
    if (allowedTypes === 'chained' || !pins.matchesCertificate(cert)) {
      return this.refuse(cert, source, MtlsReasonCode.CertUntrusted);
    }
    const identity = buildClientIdentity(cert, source);
    const { trustDomains } = this.options;
    if (trustDomains && identity.spiffeId !== null) {
      // A pin trusts one certificate, not a trust domain: only a domain's CA vouches for its IDs.
      return {
        ...this.refuse(cert, source, MtlsReasonCode.CertUntrusted),
        detail: `${identity.spiffeId} is a pinned self-signed certificate: only a CA of its trust domain's bundle may vouch for a SPIFFE ID`,
      };
    }
    return checkValidity(identity, now) ?? { ok: true, identity };
  }

  /** A trusted certificate: usage, then pins. */
  private accept(
    cert: X509Certificate,
    source: IdentitySource,
    chain: readonly X509Certificate[] | undefined,
    constraints: readonly NameConstraints[] | 'unknown',
    now: number,
    anchor: X509Certificate | 'unknown',
  ): AuthOutcome {
    const tbs = readCertificateParts(cert);
    // A resource certificate (RFC 3779) identifies no client here, however it arrives.
    if (hasResources(tbs)) return this.refuse(cert, source, MtlsReasonCode.CertUntrusted);
    const { trustDomains } = this.options;
    if (trustDomains) {
      // Part of trust, so judged before usage and pins: a T identity from B's CA is untrusted.
      const domain = trustDomains.judge(spiffeIdOfParts(tbs), anchor);
      if (!domain.ok) {
        return {
          ...this.refuse(cert, source, MtlsReasonCode.CertUntrusted),
          detail: domain.detail,
        };
      }
    }
    if (!isClientCertificate(tbs)) {
      return this.refuse(cert, source, MtlsReasonCode.CertInvalidUsage);
    }
    const { pins, pinsReportOnly } = this.options;
    const unpinned = pins.enabled && !pins.matchesCertificate(cert);
    const identity = buildClientIdentity(cert, source, tbs, commonNameRule(constraints));
    if (unpinned && !pinsReportOnly) {
      return {
        ...this.refuse(cert, source, MtlsReasonCode.FingerprintForbidden),
        provenIdentity: identity,
      };
    }
    // The handshake checked validity when it happened; a remembered verdict may be read later.
    const invalid = checkValidity(identity, now);
    if (invalid) return invalid;
    const accepted: AuthOutcome = chain ? { ok: true, identity, chain } : { ok: true, identity };
    return unpinned ? { ...accepted, wouldRefuse: MtlsReasonCode.FingerprintForbidden } : accepted;
  }

  private refuse(
    cert: X509Certificate,
    source: IdentitySource,
    code: MtlsReasonCode,
  ): AuthOutcome & { ok: false } {
    return { ok: false, code, identity: refusedCertificate(cert, source) };
  }
}

/** What is known of the path of a certificate the handshake accepted. */
interface DirectPath {
  readonly constraints: readonly NameConstraints[] | 'unknown';
  /** Its trust anchor; `'unknown'` when not looked for, or when it cannot be rebuilt. */
  readonly anchor: X509Certificate | 'unknown';
}

/**
 * The SPIFFE ID of a certificate, as `ClientIdentity.spiffeId` reads it; `null` without one or
 * when its extensions cannot be read.
 */
export function spiffeIdOfCertificate(cert: X509Certificate): string | null {
  try {
    return spiffeIdOfParts(readCertificateParts(cert));
  } catch {
    // An unreadable certificate names no SPIFFE ID.
    return null;
  }
}

/** The SPIFFE ID of a certificate's subjectAltName, as `ClientIdentity.spiffeId` reads it. */
function spiffeIdOfParts(tbs: TbsParts): string | null {
  const san = tbs.extensions.find((e) => e.oid === id_ce_subjectAltName);
  return san ? spiffeIdOf(readGeneralNames(san.value).uris) : null;
}

/** `true` when a certificate carries RFC 3779 IP address or AS identifier blocks. */
function hasResources(tbs: TbsParts): boolean {
  return tbs.extensions.some(
    (e) => e.oid === id_pe_ipAddrBlocks || e.oid === id_pe_autonomousSysIds,
  );
}

/** The name constraints of the CAs of a verified path (the leaf's own do not bind it). */
function constraintsOf(path: readonly CertificateProfile[]): readonly NameConstraints[] {
  const out: NameConstraints[] = [];
  for (let i = 1; i < path.length; i++) {
    const nc = (path[i] as CertificateProfile).nameConstraints;
    if (nc) out.push(nc);
  }
  return out;
}

/** Whether a common name may stand for an identity under `constraints` (see {@link CertificatePolicy}). */
function commonNameRule(
  constraints: readonly NameConstraints[] | 'unknown',
): ((commonName: string) => boolean) | undefined {
  if (constraints === 'unknown') return () => false;
  if (constraints.length === 0) return undefined;
  return (commonName) => {
    const name = Buffer.from(commonName, 'utf8');
    return constraints.every((nc) => dnsNameAllowed(name, nc));
  };
}

/**
 * The refusal of an identity that has expired by `now`, else `undefined`: what a remembered
 * identity is re-checked with once its expiry time has come. Only expiry: an identity accepted
 * once was valid then, and `now` may come from a clock that lags by a fraction of a second (see
 * coarse-clock.ts), which must not turn a certificate issued a moment ago into "not yet valid".
 */
export function checkExpiry(
  identity: CertificateIdentity,
  now: number,
): (AuthOutcome & { ok: false }) | undefined {
  if (now > identity[MATCH_KEYS].notAfterMs) {
    return { ok: false, code: MtlsReasonCode.CertExpired, identity };
  }
  return undefined;
}

/** `undefined` while the identity is inside its validity period at `now`, else the refusal. */
function checkValidity(identity: CertificateIdentity, now: number): AuthOutcome | undefined {
  const expired = checkExpiry(identity, now);
  if (expired) return expired;
  if (now < identity[MATCH_KEYS].notBeforeMs) {
    return { ok: false, code: MtlsReasonCode.CertNotYetValid, identity };
  }
  return undefined;
}
