import { createHash, type X509Certificate } from 'node:crypto';
import type { ProxyPreset } from '../../src/options/mtls-auth-options.js';

/**
 * The header samples of each proxy, written from the proxy's own documentation or source (cited
 * beside each), to decode on both adapters with the proxy's preset (test/e2e/proxy-presets in the
 * starter). The samples are templates over this run's certificates: the encoding of each value
 * (URL escaping, armour, separators, byte sequences, verdict words) is the documented one, the
 * certificates are made per run (no certificate or key is committed, nor copied from the docs).
 */

/** The caller a sample forwards: its leaf, and the chain the client sent after it. */
export interface ForwardedCaller {
  readonly leaf: X509Certificate;
  readonly chain: readonly X509Certificate[];
}

/** A refusal a sample's proxy can forward, and the code the service answers. */
export interface SampleRefusal {
  readonly name: string;
  /** The caller to forward (an expired one for an expiry verdict...), or none. */
  readonly caller: 'good' | 'expired' | 'none';
  readonly headers: (caller: ForwardedCaller | undefined) => Record<string, string>;
  readonly code: string;
}

/** One proxy's documented way of forwarding a client certificate. */
export interface ProxySample {
  readonly preset: ProxyPreset;
  /** Which of the proxy's forms this is. */
  readonly name: string;
  /** Where the format is documented (documentation pages, or the source that writes it). */
  readonly sources: readonly string[];
  /** What the documentation says the value looks like, in short. */
  readonly documented: string;
  /** Options this form needs beside the preset (module option names), when it is not the preset's own. */
  readonly overrides?: {
    readonly certificateHeader?: string;
    readonly certificateHeaderFormat?:
      'url-pem' | 'pem' | 'base64-der' | 'hex-der' | 'xfcc' | 'rfc9440';
  };
  /** `true` when the proxy forwards the client's chain (the caller's intermediate is then not needed in the bundle). */
  readonly carriesChain: boolean;
  /** The headers the proxy sends for a client that presented `caller` and passed its verification. */
  readonly headers: (caller: ForwardedCaller) => Record<string, string>;
  /** What the service answers to a good caller in this form: accepted, unless said otherwise. */
  readonly answers?: string;
  readonly refusals?: readonly SampleRefusal[];
}

const pem = (cert: X509Certificate) => cert.toString();
const b64 = (cert: X509Certificate) => cert.raw.toString('base64');
const sha256 = (cert: X509Certificate) => createHash('sha256').update(cert.raw).digest('hex');
/** URL-encoded PEM as `encodeURIComponent` writes it: spaces `%20`, line feeds `%0A`, `+/=` escaped. */
const urlPem = (cert: X509Certificate) => encodeURIComponent(pem(cert));
/** RFC 8941 byte sequence. */
const sfBinary = (cert: X509Certificate) => `:${b64(cert)}:`;
/** RFC 8941 list of byte sequences, as RFC 9440 writes Client-Cert-Chain. */
const sfList = (certs: readonly X509Certificate[]) => certs.map(sfBinary).join(', ');
/** Node prints subjects one attribute per line; Envoy writes RFC 2253 (most specific first). */
const rfc2253 = (cert: X509Certificate) => cert.subject.split('\n').reverse().join(',');

/** The samples, proxy by proxy (at least one per preset). */
export const PROXY_SAMPLES: readonly ProxySample[] = [
  {
    preset: 'nginx',
    name: '$ssl_client_escaped_cert and $ssl_client_verify',
    sources: [
      'https://nginx.org/en/docs/http/ngx_http_ssl_module.html#var_ssl_client_escaped_cert',
      'https://nginx.org/en/docs/http/ngx_http_ssl_module.html#var_ssl_client_verify',
      'deploy/nginx/templates/default.conf.template',
    ],
    documented:
      'the client certificate in PEM, urlencoded; the verdict is SUCCESS, FAILED:reason or NONE',
    carriesChain: false,
    headers: ({ leaf }) => ({
      'x-ssl-client-cert': urlPem(leaf),
      'x-ssl-client-verify': 'SUCCESS',
    }),
    refusals: [
      {
        name: 'FAILED:certificate has expired',
        caller: 'expired',
        headers: (c) => ({
          'x-ssl-client-cert': urlPem(c!.leaf),
          'x-ssl-client-verify': 'FAILED:certificate has expired',
        }),
        code: 'MTLS_CERT_EXPIRED',
      },
      {
        name: 'FAILED:unable to get local issuer certificate (optional_no_ca)',
        caller: 'good',
        headers: (c) => ({
          'x-ssl-client-cert': urlPem(c!.leaf),
          'x-ssl-client-verify': 'FAILED:unable to get local issuer certificate',
        }),
        code: 'MTLS_CERT_UNTRUSTED',
      },
      {
        name: 'NONE (no client certificate; the empty certificate variable is not sent)',
        caller: 'none',
        headers: () => ({ 'x-ssl-client-verify': 'NONE' }),
        code: 'MTLS_CERT_MISSING',
      },
    ],
  },
  {
    preset: 'envoy',
    name: 'x-forwarded-client-cert with By, Hash, Cert, Chain, Subject, URI, DNS',
    sources: [
      'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#x-forwarded-client-cert',
      'https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto (set_current_client_cert_details)',
    ],
    documented:
      'elements separated by ",", pairs by ";", values quoted when they hold separators; Hash is the hex SHA-256 of the DER leaf; Cert the URL-encoded PEM leaf; Chain the URL-encoded PEM chain, leaf included; the last element is the nearest proxy\'s',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-forwarded-client-cert': [
        'By=spiffe://cluster.local/ns/edge/sa/front-proxy;Hash=00ff',
        [
          'By=spiffe://cluster.local/ns/default/sa/backend',
          `Hash=${sha256(leaf)}`,
          `Cert="${urlPem(leaf)}"`,
          `Chain="${[leaf, ...chain].map(urlPem).join('')}"`,
          `Subject="${rfc2253(leaf)}"`,
          'URI=spiffe://cluster.local/ns/default/sa/client',
          'DNS=billing-service',
        ].join(';'),
      ].join(','),
    }),
  },
  {
    preset: 'istio',
    name: 'XFCC with Cert and Chain turned on (set_current_client_cert_details cert and chain)',
    sources: [
      'https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#Topology-ForwardClientCertDetails',
      'https://github.com/istio/istio/issues/33599',
    ],
    documented:
      "Istio's proxies are Envoy: the same XFCC; its gateways and sidecars set By, Hash, Subject, URI and DNS, and Cert only when configured",
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-forwarded-client-cert': `By=spiffe://cluster.local/ns/default/sa/app;Hash=${sha256(leaf)};Cert="${urlPem(leaf)}";Chain="${[leaf, ...chain].map(urlPem).join('')}";Subject="";URI=spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account`,
    }),
  },
  {
    preset: 'istio',
    name: "a sidecar's default XFCC, without Cert (nothing to verify: refused, never trusted)",
    sources: ['https://github.com/istio/istio/issues/33599'],
    documented: 'By, Hash, Subject and URI only: the default of Istio sidecars',
    carriesChain: false,
    headers: ({ leaf }) => ({
      'x-forwarded-client-cert': `By=spiffe://cluster.local/ns/default/sa/app;Hash=${sha256(leaf)};Subject="";URI=spiffe://cluster.local/ns/default/sa/client`,
    }),
    answers: 'MTLS_CERT_MALFORMED',
  },
  {
    preset: 'traefik',
    name: 'passTLSClientCert pem: true (Traefik v2.9.4 and later, v3)',
    sources: [
      'https://doc.traefik.io/traefik/middlewares/http/passtlsclientcert/',
      'https://github.com/traefik/traefik/blob/master/pkg/middlewares/passtlsclientcert/pass_tls_client_cert.go (getCertificates, sanitize)',
      'https://github.com/traefik/traefik/pull/9412',
    ],
    documented:
      'every certificate the client sent (req.TLS.PeerCertificates), each PEM without its BEGIN/END lines and line feeds, joined with ","',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-forwarded-tls-client-cert': [leaf, ...chain].map(b64).join(','),
    }),
  },
  {
    preset: 'traefik',
    name: 'passTLSClientCert of Traefik 2.8 to 2.9.1, which URL-escaped the value',
    sources: ['https://github.com/traefik/traefik/pull/9412'],
    documented: 'the same list, URL query-escaped (+ / = and , escaped)',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-forwarded-tls-client-cert': encodeURIComponent([leaf, ...chain].map(b64).join(',')),
    }),
  },
  {
    preset: 'haproxy',
    name: 'ssl_c_der, ssl_c_chain_der and ssl_c_verify in http-request set-header',
    sources: [
      'https://docs.haproxy.org/2.6/configuration.html#7.3.4-ssl_c_der',
      'https://docs.haproxy.org/2.6/configuration.html#7.3.4-ssl_c_chain_der',
      'https://docs.haproxy.org/2.6/configuration.html#7.3.4-ssl_c_verify',
    ],
    documented:
      '%[ssl_c_der,base64]: the leaf DER; %[ssl_c_chain_der,base64]: the chain the client presented, leaf excluded, DER back to back; %[ssl_c_verify]: the X509_V_ERR number, 0 when OK',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-ssl-client-cert': b64(leaf),
      'x-ssl-client-cert-chain': Buffer.concat(chain.map((c) => c.raw)).toString('base64'),
      'x-ssl-client-verify': '0',
    }),
    refusals: [
      {
        name: 'ssl_c_verify 10 (X509_V_ERR_CERT_HAS_EXPIRED, with crt-ignore-err)',
        caller: 'expired',
        headers: (c) => ({
          'x-ssl-client-cert': b64(c!.leaf),
          'x-ssl-client-cert-chain': '',
          'x-ssl-client-verify': '10',
        }),
        code: 'MTLS_CERT_EXPIRED',
      },
      {
        name: 'no client certificate (set-header writes the empty fetch)',
        caller: 'none',
        headers: () => ({
          'x-ssl-client-cert': '',
          'x-ssl-client-cert-chain': '',
          'x-ssl-client-verify': '0',
        }),
        code: 'MTLS_CERT_MISSING',
      },
    ],
  },
  {
    preset: 'caddy',
    name: 'header_up X-Client-Cert {http.request.tls.client.certificate_der_base64}',
    sources: [
      'https://caddyserver.com/docs/json/apps/http/ (placeholders: http.request.tls.client.certificate_der_base64)',
      'https://github.com/caddyserver/caddy/blob/master/modules/caddyhttp/app.go (placeholder table)',
    ],
    documented:
      'the base64-encoded value of the client certificate (the leaf); a placeholder Caddy cannot fill is left as it is',
    carriesChain: false,
    headers: ({ leaf }) => ({ 'x-client-cert': b64(leaf) }),
    refusals: [
      {
        // Seen with the real caddy 2.6 binary (test/e2e/real-proxy-presets): it overwrites a
        // client's own header with the placeholder itself.
        name: 'no client certificate (Caddy sends its placeholder unexpanded)',
        caller: 'none',
        headers: () => ({ 'x-client-cert': '{http.request.tls.client.certificate_der_base64}' }),
        code: 'MTLS_CERT_MISSING',
      },
    ],
  },
  {
    preset: 'aws-alb',
    name: 'mutual TLS verify mode: X-Amzn-Mtls-Clientcert-Leaf',
    sources: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html (HTTP headers)',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html',
    ],
    documented:
      'the leaf in URL-encoded PEM with +=/ as safe characters (left unescaped); beside it -Serial-Number, -Issuer, -Subject, -Validity',
    carriesChain: false,
    headers: ({ leaf }) => ({
      'x-amzn-mtls-clientcert-leaf': urlPem(leaf)
        .replace(/%2B/g, '+')
        .replace(/%3D/g, '=')
        .replace(/%2F/g, '/'),
      'x-amzn-mtls-clientcert-serial-number': leaf.serialNumber,
    }),
  },
  {
    preset: 'aws-alb-passthrough',
    name: 'mutual TLS passthrough: X-Amzn-Mtls-Clientcert, the whole chain',
    sources: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html (mutual TLS passthrough)',
    ],
    documented:
      'the entire client certificate chain as sent, leaf first, unverified, in URL-encoded PEM with +=/ left unescaped',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-amzn-mtls-clientcert': [leaf, ...chain]
        .map(urlPem)
        .join('')
        .replace(/%2B/g, '+')
        .replace(/%3D/g, '=')
        .replace(/%2F/g, '/'),
    }),
  },
  {
    preset: 'gcp',
    name: 'custom request headers from the mTLS variables',
    sources: [
      'https://cloud.google.com/load-balancing/docs/https/custom-headers (variables client_cert_present, client_cert_chain_verified, client_cert_error, client_cert_leaf, client_cert_chain)',
      'https://cloud.google.com/load-balancing/docs/mtls',
    ],
    documented:
      '{client_cert_leaf} and {client_cert_chain} in RFC 9440 form, {client_cert_chain_verified} true or false, {client_cert_present} true or false',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'x-client-cert-present': 'true',
      'x-client-cert-chain-verified': 'true',
      'x-client-cert-error': '',
      'x-client-cert-leaf': sfBinary(leaf),
      'x-client-cert-chain': sfList(chain),
    }),
    refusals: [
      {
        name: 'chain not verified (allow invalid or missing certificate mode)',
        caller: 'good',
        headers: (c) => ({
          'x-client-cert-present': 'true',
          'x-client-cert-chain-verified': 'false',
          'x-client-cert-error': 'client_cert_chain_invalid_eku',
          'x-client-cert-leaf': sfBinary(c!.leaf),
          'x-client-cert-chain': sfList(c!.chain),
        }),
        code: 'MTLS_CERT_UNTRUSTED',
      },
      {
        name: 'no client certificate',
        caller: 'none',
        headers: () => ({
          'x-client-cert-present': 'false',
          'x-client-cert-chain-verified': 'false',
          'x-client-cert-leaf': '',
          'x-client-cert-chain': '',
        }),
        code: 'MTLS_CERT_MISSING',
      },
    ],
  },
  {
    preset: 'cloudflare',
    name: "RFC 9440 headers from request header rules, with the managed transform's cf-cert-verified",
    sources: [
      'https://developers.cloudflare.com/ssl/client-certificates/forward-a-client-certificate/',
      'https://developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/cf.tls_client_auth.cert_rfc9440/',
      'https://developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/cf.tls_client_auth.cert_chain_rfc9440/',
      'https://developers.cloudflare.com/rules/transform/managed-transforms/reference/ (Add TLS client auth headers)',
    ],
    documented:
      'Client-Cert: cf.tls_client_auth.cert_rfc9440 (:base64 DER:), Client-Cert-Chain: cf.tls_client_auth.cert_chain_rfc9440 (":a:, :b:", leaf and root excluded), both filled whatever the validation; cf-cert-verified: true or false',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'client-cert': sfBinary(leaf),
      'client-cert-chain': sfList(chain),
      'cf-cert-verified': 'true',
      'cf-cert-presented': 'true',
      'cf-cert-revoked': 'false',
    }),
    refusals: [
      {
        name: 'cf-cert-verified false (the fields are filled even when validation failed)',
        caller: 'good',
        headers: (c) => ({
          'client-cert': sfBinary(c!.leaf),
          'client-cert-chain': sfList(c!.chain),
          'cf-cert-verified': 'false',
          'cf-cert-presented': 'true',
        }),
        code: 'MTLS_CERT_UNTRUSTED',
      },
    ],
  },
  {
    preset: 'cloudflare',
    name: 'client_certificate_forwarding: Cf-Client-Cert-Der-Base64',
    sources: [
      'https://developers.cloudflare.com/ssl/client-certificates/forward-a-client-certificate/',
    ],
    documented:
      'Cf-Client-Cert-Der-Base64 and Cf-Client-Cert-Sha256 on requests of an mTLS connection',
    overrides: {
      certificateHeader: 'cf-client-cert-der-base64',
      certificateHeaderFormat: 'base64-der',
    },
    carriesChain: false,
    headers: ({ leaf }) => ({
      'cf-client-cert-der-base64': b64(leaf),
      'cf-client-cert-sha256': sha256(leaf),
      'cf-cert-verified': 'true',
    }),
  },
  {
    preset: 'azure-app-service',
    name: 'X-ARR-ClientCert',
    sources: [
      'https://learn.microsoft.com/en-us/azure/app-service/app-service-web-configure-tls-mutual-auth (access the client certificate)',
    ],
    documented:
      'the client certificate, base64-encoded DER; App Service does not validate it, the app must',
    carriesChain: false,
    headers: ({ leaf }) => ({ 'x-arr-clientcert': b64(leaf) }),
  },
  {
    preset: 'kong',
    name: 'tls-metadata-headers: X-Client-Cert',
    sources: [
      'https://developer.konghq.com/plugins/tls-metadata-headers/',
      'https://developer.konghq.com/plugins/tls-metadata-headers/reference/ (client_cert_header_name, default X-Client-Cert)',
    ],
    documented:
      'the PEM format URL-encoded client certificate in X-Client-Cert; -Serial, -Issuer-DN, -Subject-DN, -Fingerprint beside it',
    carriesChain: false,
    headers: ({ leaf }) => ({
      'x-client-cert': urlPem(leaf),
      'x-client-cert-serial': leaf.serialNumber,
    }),
  },
  {
    preset: 'cloudfront',
    name: 'viewer mTLS: CloudFront-Viewer-Cert-Pem',
    sources: [
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewer-mtls-headers.html',
    ],
    documented:
      'URL-encoded PEM format of the leaf certificate (-----BEGIN%20CERTIFICATE-----%0A...), forwarded to the origin only; -Present 1 or 0, -Sha256 beside it',
    carriesChain: false,
    headers: ({ leaf }) => ({
      'cloudfront-viewer-cert-pem': urlPem(leaf),
      'cloudfront-viewer-cert-present': '1',
      'cloudfront-viewer-cert-sha256': sha256(leaf),
    }),
  },
  {
    preset: 'rfc9440',
    name: 'Client-Cert and Client-Cert-Chain',
    sources: ['https://www.rfc-editor.org/rfc/rfc9440 (sections 2.2, 2.3 and appendix A)'],
    documented:
      'Client-Cert: an RFC 8941 byte sequence of the DER leaf; Client-Cert-Chain: a list of byte sequences, the certificates that certify it, leaf excluded',
    carriesChain: true,
    headers: ({ leaf, chain }) => ({
      'client-cert': sfBinary(leaf),
      'client-cert-chain': sfList(chain),
    }),
  },
];
