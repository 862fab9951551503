import type { CertificateHeaderFormat, ProxyPreset } from './mtls-auth-options.js';

/** What a preset sets: the options a proxy's headers need. */
export interface ProxyPresetSettings {
  /** The header the proxy writes the client certificate into. */
  readonly certificateHeader: string;
  readonly certificateHeaderFormat: Exclude<CertificateHeaderFormat, 'auto'>;
  /** The header the proxy writes the client's chain into, when it is a header of its own. */
  readonly certificateChainHeader?: string;
  /** The header the proxy writes its verdict into, when it sends one (else the default, unused). */
  readonly verifyHeader?: string;
  /** What that verdict says on success. */
  readonly verifySuccessValues?: readonly string[];
}

/**
 * What each proxy sends, from its own documentation or source (the test corpus in
 * test/support/proxy-samples.ts has samples of each, cited beside them). Where the proxy lets the
 * operator name the header (HAProxy, Caddy, GCP, Cloudflare's rules), the preset uses the name
 * docs/behind-a-proxy.md tells the operator to configure.
 *
 * - `nginx`: `$ssl_client_escaped_cert` (URL-encoded PEM, leaf only), `$ssl_client_verify`
 *   (`SUCCESS`, `FAILED:<reason>`, `NONE`), as deploy/nginx configures them.
 * - `envoy`, `istio`: `x-forwarded-client-cert`, the last element's `Cert=` and `Chain=`. Istio
 *   sends neither by default: its XFCC then reads `MTLS_CERT_MALFORMED` until they are turned on.
 * - `traefik`: `passTLSClientCert` with `pem: true`, every certificate the client sent, base64
 *   DER without armour, joined with `,`.
 * - `haproxy`: `%[ssl_c_der,base64]`, `%[ssl_c_chain_der,base64]` and `%[ssl_c_verify]` (`0` is
 *   OK, else OpenSSL's `X509_V_ERR_*` number).
 * - `caddy`: `{http.request.tls.client.certificate_der_base64}`, leaf only.
 * - `aws-alb`: verify mode, `X-Amzn-Mtls-Clientcert-Leaf` (URL-encoded PEM, `+=/` unescaped).
 * - `aws-alb-passthrough`: `X-Amzn-Mtls-Clientcert`, the whole chain the client sent, leaf first,
 *   unverified.
 * - `gcp`: custom request headers `X-Client-Cert-Leaf: {client_cert_leaf}`,
 *   `X-Client-Cert-Chain: {client_cert_chain}` (RFC 9440 forms) and
 *   `X-Client-Cert-Chain-Verified: {client_cert_chain_verified}` (`true`/`false`).
 * - `cloudflare`: request header rules `Client-Cert: cf.tls_client_auth.cert_rfc9440` and
 *   `Client-Cert-Chain: cf.tls_client_auth.cert_chain_rfc9440` (filled even when validation
 *   failed), with the "Add TLS client auth headers" managed transform's `cf-cert-verified`.
 * - `azure-app-service`: `X-ARR-ClientCert`, base64 DER, not validated by the platform.
 * - `kong`: `tls-metadata-headers`, `X-Client-Cert` (URL-encoded PEM).
 * - `cloudfront`: viewer mTLS, `CloudFront-Viewer-Cert-Pem` (URL-encoded PEM).
 * - `rfc9440`: `Client-Cert` and `Client-Cert-Chain`.
 *
 * @see RFC 9440
 */
export const PROXY_PRESETS: Readonly<Record<ProxyPreset, ProxyPresetSettings>> = {
  nginx: {
    certificateHeader: 'x-ssl-client-cert',
    certificateHeaderFormat: 'url-pem',
    verifyHeader: 'x-ssl-client-verify',
    verifySuccessValues: ['SUCCESS'],
  },
  envoy: { certificateHeader: 'x-forwarded-client-cert', certificateHeaderFormat: 'xfcc' },
  istio: { certificateHeader: 'x-forwarded-client-cert', certificateHeaderFormat: 'xfcc' },
  traefik: {
    certificateHeader: 'x-forwarded-tls-client-cert',
    certificateHeaderFormat: 'base64-der',
  },
  haproxy: {
    certificateHeader: 'x-ssl-client-cert',
    certificateHeaderFormat: 'base64-der',
    certificateChainHeader: 'x-ssl-client-cert-chain',
    verifyHeader: 'x-ssl-client-verify',
    verifySuccessValues: ['0'],
  },
  caddy: { certificateHeader: 'x-client-cert', certificateHeaderFormat: 'base64-der' },
  'aws-alb': {
    certificateHeader: 'x-amzn-mtls-clientcert-leaf',
    certificateHeaderFormat: 'url-pem',
  },
  'aws-alb-passthrough': {
    certificateHeader: 'x-amzn-mtls-clientcert',
    certificateHeaderFormat: 'url-pem',
  },
  gcp: {
    certificateHeader: 'x-client-cert-leaf',
    certificateHeaderFormat: 'rfc9440',
    certificateChainHeader: 'x-client-cert-chain',
    verifyHeader: 'x-client-cert-chain-verified',
    verifySuccessValues: ['true'],
  },
  cloudflare: {
    certificateHeader: 'client-cert',
    certificateHeaderFormat: 'rfc9440',
    certificateChainHeader: 'client-cert-chain',
    verifyHeader: 'cf-cert-verified',
    verifySuccessValues: ['true'],
  },
  'azure-app-service': {
    certificateHeader: 'x-arr-clientcert',
    certificateHeaderFormat: 'base64-der',
  },
  kong: { certificateHeader: 'x-client-cert', certificateHeaderFormat: 'url-pem' },
  cloudfront: {
    certificateHeader: 'cloudfront-viewer-cert-pem',
    certificateHeaderFormat: 'url-pem',
  },
  rfc9440: {
    certificateHeader: 'client-cert',
    certificateHeaderFormat: 'rfc9440',
    certificateChainHeader: 'client-cert-chain',
  },
};
