import { asciiLower } from './ascii-case.js';
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

/**
 * OpenSSL's verification errors as proxies report them in their verdict headers, by the text of
 * `X509_verify_cert_error_string()` (nginx `$ssl_client_verify` says `FAILED:<text>`) and by the
 * number of `X509_V_ERR_*` (HAProxy `%[ssl_c_verify]`): the precise ones, which name something
 * other than "untrusted", and the most common untrusted ones. Any other reads as untrusted.
 *
 * @see https://github.com/openssl/openssl/blob/master/crypto/x509/x509_txt.c
 * @see https://github.com/openssl/openssl/blob/master/include/openssl/x509_vfy.h.in
 */
const PROXY_ERRORS: readonly (readonly [code: string, number: number, ...texts: string[]])[] = [
  ['UNABLE_TO_GET_ISSUER_CERT', 2, 'unable to get issuer certificate'],
  ['UNABLE_TO_GET_CRL', 3, 'unable to get certificate CRL'],
  ['CERT_SIGNATURE_FAILURE', 7, 'certificate signature failure'],
  ['CERT_NOT_YET_VALID', 9, 'certificate is not yet valid'],
  ['CERT_HAS_EXPIRED', 10, 'certificate has expired'],
  ['CRL_HAS_EXPIRED', 12, 'CRL has expired'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 18, 'self-signed certificate', 'self signed certificate'],
  [
    'SELF_SIGNED_CERT_IN_CHAIN',
    19,
    'self-signed certificate in certificate chain',
    'self signed certificate in certificate chain',
  ],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 20, 'unable to get local issuer certificate'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 21, 'unable to verify the first certificate'],
  ['CERT_REVOKED', 23, 'certificate revoked'],
  ['INVALID_CA', 24, 'invalid CA certificate'],
  ['INVALID_PURPOSE', 26, 'unsuitable certificate purpose', 'unsupported certificate purpose'],
  ['KEYUSAGE_NO_DIGITAL_SIGNATURE', 39, 'key usage does not include digital signature'],
];

/**
 * The OpenSSL code (`CERT_HAS_EXPIRED`) of a proxy's failure verdict: nginx's text after
 * `FAILED:`, or HAProxy's `X509_V_ERR_*` number; `''` when it names none known here.
 */
export function errorCodeOfProxyVerdict(failure: string): string {
  const number = /^\d{1,4}$/.test(failure) ? Number(failure) : undefined;
  const text = asciiLower(failure.trim());
  for (const [code, n, ...texts] of PROXY_ERRORS) {
    if (number === undefined ? texts.some((t) => asciiLower(t) === text) : n === number) {
      return code;
    }
  }
  return '';
}
