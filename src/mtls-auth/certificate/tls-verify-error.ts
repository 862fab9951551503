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
 * Maps the handshake's verification error to a reason code. Anything not known to be more precise
 * is a trust failure: refusing with "untrusted" is always safe.
 */
export function reasonForTlsError(error: string | Error | null | undefined): MtlsReasonCode {
  const code =
    typeof error === 'string' ? error : ((error as { code?: string } | null)?.code ?? '');
  return PRECISE[code] ?? MtlsReasonCode.CertUntrusted;
}
