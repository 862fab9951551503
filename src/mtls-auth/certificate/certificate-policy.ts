import type { X509Certificate } from 'node:crypto';
import {
  buildClientIdentity,
  MATCH_KEYS,
  type CertificateIdentity,
  type IdentitySource,
} from './client-identity.js';
import type { FingerprintPins } from './fingerprint-pins.js';
import { isSelfSigned } from './pem.js';
import { MtlsReasonCode } from './reason-code.js';
import { reasonForTlsError } from './tls-verify-error.js';
import type { TrustStore } from './trust-store.js';

/** Which certificates may authenticate, as ASP.NET Core's `AllowedCertificateTypes`. */
export type AllowedCertificateTypes = 'chained' | 'self-signed' | 'all';

/** `unknown`: no current revocation information for that issuer, which refuses the certificate. */
export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** Tells whether a certificate issued by `issuer` has been revoked (a loaded CRL set). */
export interface RevocationChecker {
  status(cert: X509Certificate, issuer: X509Certificate, now?: number): RevocationStatus;
}

/** The verdict of the TLS handshake on the peer's certificate, when there was one. */
export interface TlsVerdict {
  readonly authorized: boolean;
  readonly error?: string | Error | null;
}

/** What authentication decided: an identity, or a reason code (with the identity, for the log). */
export type AuthOutcome =
  | {
      readonly ok: true;
      readonly identity: CertificateIdentity;
      /** The trusted path, leaf first (for OCSP); absent for a pinned self-signed certificate. */
      readonly chain?: readonly X509Certificate[];
    }
  | { readonly ok: false; readonly code: MtlsReasonCode; readonly identity?: CertificateIdentity };

/** Everything the policy needs, resolved and validated at start-up. */
export interface CertificatePolicyOptions {
  readonly trustStore: TrustStore;
  readonly allowedTypes: AllowedCertificateTypes;
  readonly pins: FingerprintPins;
  readonly revocation?: RevocationChecker;
}

/** OIDs of extended key usages that permit TLS client authentication. */
const CLIENT_AUTH_EKUS: ReadonlySet<string> = new Set([
  '1.3.6.1.5.5.7.3.2', // id-kp-clientAuth
  '2.5.29.37.0', // anyExtendedKeyUsage
]);

/**
 * Decides whether a client certificate authenticates, and if not, why: one order for every source.
 * Trust first (chain to a trusted root, or a pinned self-signed certificate), then validity
 * period, revocation, the handshake's own verdict, usage (clientAuth, not a CA), and pins.
 *
 * Pure: no I/O, no framework; callers cache the outcome (per connection or per forwarded header).
 *
 * @see RFC 5280 section 4.2.1.12 (extended key usage)
 */
export class CertificatePolicy {
  constructor(private readonly options: CertificatePolicyOptions) {}

  /**
   * @param presented intermediates sent along with the leaf (TLS chain or forwarded bundle).
   * @param tls the handshake's verdict, for direct TLS; both it and this policy must accept.
   * @throws {Error} only when the certificate's DER cannot be parsed.
   */
  evaluate(
    cert: X509Certificate,
    source: IdentitySource,
    presented: readonly X509Certificate[] = [],
    tls?: TlsVerdict,
    now: number = Date.now(),
  ): AuthOutcome {
    const identity = buildClientIdentity(cert, source);
    const { trustStore, allowedTypes, pins, revocation } = this.options;
    const refuse = (code: MtlsReasonCode): AuthOutcome => ({ ok: false, code, identity });

    if (isSelfSigned(cert) && !trustStore.contains(cert)) {
      if (allowedTypes === 'chained' || !pins.matches(identity))
        return refuse(MtlsReasonCode.CertUntrusted);
      return checkValidity(identity, now) ?? { ok: true, identity };
    }
    if (allowedTypes === 'self-signed') return refuse(MtlsReasonCode.CertUntrusted);

    const chain = trustStore.buildChain(cert, presented);
    if (!chain) return refuse(MtlsReasonCode.CertUntrusted);
    for (const link of chain) {
      const code = validityCode(link, now);
      if (code) return refuse(code);
    }
    if (revocation) {
      for (let i = 0; i + 1 < chain.length; i++) {
        const status = revocation.status(
          chain[i] as X509Certificate,
          chain[i + 1] as X509Certificate,
          now,
        );
        if (status === 'revoked') return refuse(MtlsReasonCode.CertRevoked);
        if (status === 'unknown') return refuse(MtlsReasonCode.CertUntrusted);
      }
    }
    if (tls && !tls.authorized) return refuse(reasonForTlsError(tls.error));
    if (cert.ca) return refuse(MtlsReasonCode.CertInvalidUsage);
    if (!cert.keyUsage?.some((oid) => CLIENT_AUTH_EKUS.has(oid)))
      return refuse(MtlsReasonCode.CertInvalidUsage);
    if (pins.enabled && !pins.matches(identity)) return refuse(MtlsReasonCode.FingerprintForbidden);
    return { ok: true, identity, chain };
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

function validityCode(cert: X509Certificate, now: number): MtlsReasonCode | undefined {
  if (now > Date.parse(cert.validTo)) return MtlsReasonCode.CertExpired;
  if (now < Date.parse(cert.validFrom)) return MtlsReasonCode.CertNotYetValid;
  return undefined;
}
