import { MtlsReasonCode } from './reason-code.js';

/**
 * OpenSSL verification codes (as Node reports them in `socket.authorizationError`) that mean
 * something more precise than "untrusted".
 *
 * @see https://docs.openssl.org/master/man1/openssl-verification-options/
 */
const PRECISE: Readonly<Record<string, MtlsReasonCode>> = {
  CERT_HAS_EXPIRED: MtlsReasonCode.CertExpired,
  CERT_NOT_YET_VALID: MtlsReasonCode.CertNotYetValid,
  CERT_REVOKED: MtlsReasonCode.CertRevoked,
  INVALID_PURPOSE: MtlsReasonCode.CertInvalidUsage,
  UNSUPPORTED_CERTIFICATE_PURPOSE: MtlsReasonCode.CertInvalidUsage,
  KEYUSAGE_NO_DIGITAL_SIGNATURE: MtlsReasonCode.CertInvalidUsage,
};

/**
 * `true` when the error names something more precise than "untrusted". OpenSSL keeps verifying
 * after an error and reports the last one, so such an error does not prove that the chain itself
 * was trusted: the precise reason must be confirmed (see `CertificatePolicy.evaluateHandshake`).
 */
export function isPreciseTlsError(error: string | Error | null | undefined): boolean {
  return PRECISE[errorCode(error)] !== undefined;
}

/**
 * Maps the handshake's verification error to a reason code. Anything not known to be more precise
 * is a trust failure: refusing with "untrusted" is always safe.
 */
export function reasonForTlsError(error: string | Error | null | undefined): MtlsReasonCode {
  return PRECISE[errorCode(error)] ?? MtlsReasonCode.CertUntrusted;
}

/** The OpenSSL code of a handshake verification error (`''` when there is none). */
export function errorCode(error: string | Error | null | undefined): string {
  return typeof error === 'string' ? error : ((error as { code?: string } | null)?.code ?? '');
}
