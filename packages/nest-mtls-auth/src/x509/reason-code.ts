/**
 * Why a caller was refused. Every rejection carries exactly one of these codes in its JSON body,
 * its log line and its metrics label, so a client, an operator and a dashboard all read the same word.
 *
 * @see the README of this package, "Refusals"
 */
export const MtlsReasonCode = {
  /** No certificate was presented (or an untrusted peer sent a forwarded one, which is ignored). */
  CertMissing: 'MTLS_CERT_MISSING',
  /** The chain does not reach a trusted CA, or a self-signed certificate is not allowed/pinned. */
  CertUntrusted: 'MTLS_CERT_UNTRUSTED',
  /** The certificate's notAfter is in the past. */
  CertExpired: 'MTLS_CERT_EXPIRED',
  /** The certificate's notBefore is in the future. */
  CertNotYetValid: 'MTLS_CERT_NOT_YET_VALID',
  /** The certificate is listed on a loaded CRL. */
  CertRevoked: 'MTLS_CERT_REVOKED',
  /** Trusted chain, but no clientAuth extended key usage, or a CA certificate used as a client. */
  CertInvalidUsage: 'MTLS_CERT_INVALID_USAGE',
  /**
   * A forwarded header that does not decode to exactly one certificate, or whose XFCC `Hash=` is
   * not the SHA-256 of its `Cert=`.
   */
  CertMalformed: 'MTLS_CERT_MALFORMED',
  /** Valid certificate whose identity is not allowed on this route or service. */
  ServiceForbidden: 'MTLS_SERVICE_FORBIDDEN',
  /** Pins are configured and this certificate's fingerprint is not one of them. */
  FingerprintForbidden: 'MTLS_FINGERPRINT_FORBIDDEN',
  /** A route that requires a certificate-bound access token (RFC 8705) got no bearer token. */
  TokenMissing: 'MTLS_TOKEN_MISSING',
  /** The bearer token is not a valid access token here: signature, issuer, audience or expiry. */
  TokenInvalid: 'MTLS_TOKEN_INVALID',
  /** A valid access token whose `cnf["x5t#S256"]` is not the certificate of this request. */
  TokenNotBound: 'MTLS_TOKEN_NOT_BOUND',
} as const;

/** One of the {@link MtlsReasonCode} values. */
export type MtlsReasonCode = (typeof MtlsReasonCode)[keyof typeof MtlsReasonCode];

interface ReasonDescription {
  readonly status: 401 | 403;
  readonly message: string;
}

/**
 * HTTP status and a message that tells the caller what to do, per reason code. 401 means "present
 * a (different) certificate"; 403 means "your certificate is fine but you may not call this".
 */
export const REASON_DESCRIPTIONS: Readonly<Record<MtlsReasonCode, ReasonDescription>> = {
  MTLS_CERT_MISSING: {
    status: 401,
    message: 'A client certificate is required: present one issued by a CA this service trusts.',
  },
  MTLS_CERT_UNTRUSTED: {
    status: 401,
    message:
      'The client certificate does not chain to a CA this service trusts (or is self-signed and not pinned).',
  },
  MTLS_CERT_EXPIRED: {
    status: 401,
    message: 'The client certificate has expired: renew it.',
  },
  MTLS_CERT_NOT_YET_VALID: {
    status: 401,
    message: 'The client certificate is not valid yet: check its notBefore date and the clocks.',
  },
  MTLS_CERT_REVOKED: {
    status: 401,
    message: 'The client certificate has been revoked by its CA.',
  },
  MTLS_CERT_INVALID_USAGE: {
    status: 401,
    message:
      'The client certificate may not be used for client authentication: it needs the clientAuth extended key usage and must not be a CA certificate.',
  },
  MTLS_CERT_MALFORMED: {
    status: 401,
    message:
      "The forwarded client certificate header does not decode to exactly one certificate, or its XFCC Hash is not that certificate's.",
  },
  MTLS_SERVICE_FORBIDDEN: {
    status: 403,
    message: 'The client certificate is valid, but its identity is not allowed to call this route.',
  },
  MTLS_FINGERPRINT_FORBIDDEN: {
    status: 403,
    message: 'The client certificate is valid, but its fingerprint is not pinned by this service.',
  },
  MTLS_TOKEN_MISSING: {
    status: 401,
    message:
      'This route needs a certificate-bound access token: send Authorization: Bearer <token>, obtained with this client certificate.',
  },
  MTLS_TOKEN_INVALID: {
    status: 401,
    message:
      'The bearer token is not a valid access token for this service (signature, issuer, audience or expiry): obtain a new one.',
  },
  MTLS_TOKEN_NOT_BOUND: {
    status: 401,
    message:
      'The access token is bound to another certificate (its cnf x5t#S256): present the certificate it was issued to, or obtain a token with this one.',
  },
};
