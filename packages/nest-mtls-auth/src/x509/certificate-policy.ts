import type { AllowedCertificateTypes } from '../options/mtls-auth-options.js';
import type { X509Certificate } from 'node:crypto';
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
import { readTbsParts } from './tbs-certificate.js';
import { isPreciseTlsError, reasonForTlsError } from './tls-verify-error.js';
import type { TrustStore } from './trust-store.js';

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
    }
  | { readonly ok: false; readonly code: MtlsReasonCode; readonly identity?: RefusedCertificate };

/** Everything the policy needs, resolved and validated at start-up. */
export interface CertificatePolicyOptions {
  readonly trustStore: TrustStore;
  readonly allowedTypes: AllowedCertificateTypes;
  readonly pins: FingerprintPins;
  readonly revocation?: RevocationChecker;
}

/**
 * Decides whether a client certificate authenticates, and if not, why. One source of truth for
 * trust per path:
 *
 * - **Direct TLS** ({@link evaluateHandshake}): OpenSSL's handshake verdict decides trust (chain,
 *   signatures, validity, CRLs, the sslclient purpose). Nothing is rebuilt in TypeScript, so a
 *   resumed session gets the answer of its full handshake. Only when OpenSSL refused with an
 *   error that may hide a more basic one (OpenSSL reports its last error: an expired certificate
 *   from an unknown CA reads "expired") does the bounded {@link ChainVerifier} name the reason.
 * - **Forwarded** ({@link evaluateForwarded}): the {@link ChainVerifier}, OpenSSL's rules within a
 *   budget, against the same bundle and CRLs.
 *
 * Both then add what OpenSSL does not ask of a client certificate: the clientAuth extended key
 * usage itself (OpenSSL accepts a leaf without any), no CA certificate as a client, and pins.
 * Self-signed certificates are accepted only when allowed and pinned. The identity (subject,
 * SANs) is parsed only once the certificate is trusted.
 *
 * Pure: no I/O, no framework; callers remember outcomes (per certificate, connection, header).
 *
 * @see RFC 5280 section 4.2.1.12 (extended key usage)
 */
export class CertificatePolicy {
  private readonly verifier: ChainVerifier;

  constructor(private readonly options: CertificatePolicyOptions) {
    this.verifier = new ChainVerifier(options.trustStore, options.revocation);
  }

  /**
   * Direct TLS: the handshake's verdict, plus the policy's own rules.
   *
   * @param presented the certificates the client sent above its leaf, asked for only when a
   *   refusal's precise reason must be computed.
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
      return this.accept(cert, 'tls', undefined, now);
    }
    const selfSigned = this.judgeSelfSigned(cert, 'tls', now);
    if (selfSigned) return selfSigned;
    const mapped = reasonForTlsError(tls.error);
    if (!isPreciseTlsError(tls.error)) return this.refuse(cert, 'tls', mapped);
    // The refusal is certain; find its first reason, within the verifier's budget.
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
    return this.accept(cert, source, verdict.chain, now);
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
    return checkValidity(identity, now) ?? { ok: true, identity };
  }

  /** A trusted certificate: usage, then pins. */
  private accept(
    cert: X509Certificate,
    source: IdentitySource,
    chain: readonly X509Certificate[] | undefined,
    now: number,
  ): AuthOutcome {
    const tbs = readTbsParts(cert.raw);
    if (!isClientCertificate(tbs)) {
      return this.refuse(cert, source, MtlsReasonCode.CertInvalidUsage);
    }
    const { pins } = this.options;
    if (pins.enabled && !pins.matchesCertificate(cert)) {
      return this.refuse(cert, source, MtlsReasonCode.FingerprintForbidden);
    }
    const identity = buildClientIdentity(cert, source, tbs);
    // The handshake checked validity when it happened; a remembered verdict may be read later.
    return (
      checkValidity(identity, now) ??
      (chain ? { ok: true, identity, chain } : { ok: true, identity })
    );
  }

  private refuse(cert: X509Certificate, source: IdentitySource, code: MtlsReasonCode): AuthOutcome {
    return { ok: false, code, identity: refusedCertificate(cert, source) };
  }
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
