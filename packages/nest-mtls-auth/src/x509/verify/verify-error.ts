import { MtlsReasonCode } from '../reason-code.js';
import { reasonForTlsError } from '../tls-verify-error.js';

/**
 * One verification error, named as OpenSSL names it (`X509_V_ERR_*` without the prefix, which is
 * also how Node reports it in `socket.authorizationError.code`), at a depth of the chain (0: the
 * leaf). Two are the service's own, refused on every way: `RFC3779_RESOURCES` and
 * `KEY_CANNOT_SIGN_TLS`.
 */
export interface VerifyError {
  readonly code: string;
  readonly depth: number;
}

/**
 * The reason code of a refused chain, from every error verification found. OpenSSL keeps going
 * after an error and reports its last one; the service reports the most basic: any error that is
 * not one of the precise four (expired, not yet valid, revoked, wrong purpose) makes the
 * certificate untrusted, whatever else is wrong with it; otherwise the first precise error, in
 * OpenSSL's order of checks (purpose, revocation, then validity from the anchor down).
 *
 * This is what makes the handshake's verdict and this verifier's agree: when OpenSSL's last error
 * is one of the precise four, the service asks this verifier for the reason (see
 * `CertificatePolicy.evaluateHandshake`); when it is any other, the chain has an error that is
 * not precise, and both say untrusted.
 */
export function reasonOf(errors: readonly VerifyError[]): {
  readonly code: MtlsReasonCode;
  readonly error: VerifyError;
} {
  let precise: { code: MtlsReasonCode; error: VerifyError } | undefined;
  for (const error of errors) {
    const code = reasonForTlsError(error.code);
    if (code === MtlsReasonCode.CertUntrusted) return { code, error };
    precise ??= { code, error };
  }
  if (!precise) throw new Error('reasonOf() needs at least one error');
  return precise;
}

/** What each error means, for people (the doctor and the log say it). */
export const VERIFY_ERROR_TEXT: Readonly<Record<string, string>> = {
  EE_KEY_TOO_SMALL: "the certificate's key is too weak for the server's security level",
  CA_KEY_TOO_SMALL: "a CA's key is too weak for the server's security level",
  CA_MD_TOO_WEAK: "a signature's digest is too weak for the server's security level (SHA-1?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'no path to a trusted CA: its issuer is not known',
  UNABLE_TO_GET_ISSUER_CERT: 'no path to a trusted CA: the chain ends at an unknown issuer',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed and not in the trusted bundle',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends at a self-signed CA that is not trusted',
  CERT_CHAIN_TOO_LONG: 'the chain is longer than the verification depth',
  UNHANDLED_CRITICAL_EXTENSION: 'a critical extension OpenSSL does not handle',
  PROXY_CERTIFICATES_NOT_ALLOWED: 'a proxy certificate (RFC 3820)',
  INVALID_CA: 'a certificate above the leaf is not a valid CA (basicConstraints, keyUsage)',
  EC_KEY_EXPLICIT_PARAMS: 'an EC key with explicit curve parameters',
  INVALID_PURPOSE:
    'not allowed for TLS client authentication (extended key usage, keyUsage or Netscape type)',
  PATH_LENGTH_EXCEEDED: 'a pathLenConstraint is exceeded',
  CERT_REVOKED: 'revoked',
  UNABLE_TO_GET_CRL: 'no current CRL from its issuer',
  KEYUSAGE_NO_CERTSIGN: "an issuer's keyUsage does not allow signing certificates",
  KEYUSAGE_NO_DIGITAL_SIGNATURE: "an issuer's keyUsage does not allow digital signatures",
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: "an issuer's public key cannot be read",
  CERT_SIGNATURE_FAILURE: 'a signature does not verify',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the leaf's signature cannot be verified",
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'notBefore is not a valid RFC 5280 time',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'notAfter is not a valid RFC 5280 time',
  CERT_NOT_YET_VALID: 'not yet valid',
  CERT_HAS_EXPIRED: 'expired',
  PERMITTED_VIOLATION: 'a name is outside the name constraints of a CA above it',
  EXCLUDED_VIOLATION: 'a name is excluded by the name constraints of a CA above it',
  SUBTREE_MINMAX: 'a name constraint uses minimum/maximum, which OpenSSL does not support',
  UNSUPPORTED_CONSTRAINT_TYPE: 'a name constraint of a type OpenSSL does not support',
  UNSUPPORTED_NAME_SYNTAX: 'a name OpenSSL cannot compare with name constraints',
  UNSPECIFIED: 'a check that cannot be completed (a key that cannot be read, or too many names)',
  KEYUSAGE_NO_CRL_SIGN: "the CRL's issuer may not sign CRLs (its keyUsage lacks cRLSign)",
  DIFFERENT_CRL_SCOPE: 'the CRLs in force do not cover it (issuingDistributionPoint)',
  CRL_SIGNATURE_FAILURE: "a CRL's signature does not verify",
  CRL_NOT_YET_VALID: "a CRL's thisUpdate is in the future",
  CRL_HAS_EXPIRED: 'a CRL is past its nextUpdate',
  ERROR_IN_CRL_LAST_UPDATE_FIELD: "a CRL's thisUpdate is not a valid RFC 5280 time",
  ERROR_IN_CRL_NEXT_UPDATE_FIELD: "a CRL's nextUpdate is not a valid RFC 5280 time",
  UNHANDLED_CRITICAL_CRL_EXTENSION: 'a CRL has a critical extension OpenSSL does not handle',
  // The service's own refusals, which OpenSSL does not make.
  RFC3779_RESOURCES:
    'carries RFC 3779 IP address or AS blocks: a resource certificate, which identifies no client here',
  KEY_CANNOT_SIGN_TLS: 'its key cannot sign a TLS handshake (no client could present it directly)',
};
