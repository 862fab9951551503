import type { AllowedCertificateTypes } from '../x509/certificate-policy.js';

/** Header formats a proxy may forward a client certificate in (`auto` detects). */
export type CertificateHeaderFormat =
  'auto' | 'url-pem' | 'pem' | 'base64-der' | 'hex-der' | 'xfcc' | 'rfc9440';

/**
 * Options of `MtlsAuthModule.forRoot()` / `forRootAsync()`. Everything is resolved and validated
 * once, when the module starts; a bad value stops start-up.
 */
export interface MtlsAuthModuleOptions {
  /** PEM bundle of the CAs that issue client certificates (roots and intermediates). */
  readonly trustedCa: string | Buffer;
  /** PEM CRL(s) checked for forwarded certificates (direct TLS checks them in the handshake). */
  readonly crl?: string | Buffer;
  /** @default 'chained' */
  readonly allowedCertificateTypes?: AllowedCertificateTypes;
  /** Identity patterns allowed to call any guarded route; empty means any authenticated caller. */
  readonly allowedServices?: readonly string[];
  /** SHA-256 (or SHA-1) fingerprints; when set, every certificate must be one of them. */
  readonly allowedFingerprints?: readonly string[];
  /**
   * CIDRs of proxies whose forwarded certificate headers are honoured. With
   * {@link trustedProxyIdentities} too, a proxy must pass both. @default [] (off)
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Identity patterns (as {@link allowedServices}) of the proxies whose forwarded certificate headers
   * are honoured: the proxy must present over TLS a client certificate that this service trusts
   * (the handshake's verdict, clientAuth, not a CA, not revoked) and whose identity matches. Unlike
   * an address, an identity does not move when a container or pod is rescheduled.
   * @default [] (any peer in trustedProxies)
   * @example ['nginx-proxy', 'spiffe://cluster.local/ns/ingress/sa/gateway']
   */
  readonly trustedProxyIdentities?: readonly string[];
  /** @default 'x-ssl-client-cert' */
  readonly certificateHeader?: string;
  /** @default 'auto' */
  readonly certificateHeaderFormat?: CertificateHeaderFormat;
  /** @default 'x-ssl-client-verify' */
  readonly verifyHeader?: string;
  /** OCSP for client certificates: `soft` refuses only "revoked", `hard` anything but "good". @default 'off' */
  readonly ocsp?: 'off' | 'soft' | 'hard';
  /** Responder URL to use instead of the certificates' AIA OCSP URL. */
  readonly ocspUrl?: string;
  /** @default 2000 */
  readonly ocspTimeoutMs?: number;
  /**
   * How many distinct callers' outcomes are remembered, on each path: direct TLS certificates
   * (judged once, then a lookup per new connection) and forwarded certificate headers (judged
   * once, then a lookup per request). Past it the least recently seen caller is judged again.
   * Size it above the number of callers active at once.
   * @default 10000
   */
  readonly callerCacheSize?: number;
  /** Identity patterns of callers allowed to pass on an original caller in XFCC. @default [] */
  readonly trustedForwarders?: readonly string[];
}

/** Module-level extras of `forRoot()`. */
export interface MtlsAuthModuleExtras {
  /**
   * Register `ClientCertAuthGuard` and `ServiceAllowlistGuard` as global guards, so every route is
   * protected unless marked `@Public()`.
   * @default true
   */
  readonly globalGuards?: boolean;
}
