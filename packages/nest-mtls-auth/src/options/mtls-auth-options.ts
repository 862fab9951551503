import { type AllowedCertificateTypes } from '../x509/certificate-policy.js';
import { type OcspMode } from '../ocsp/ocsp-mode.js';
import type { BoundTokenSettings } from '../tokens/bound-token-settings.js';

/** Header formats a proxy may forward a client certificate in (`auto` detects). */
export const CERTIFICATE_HEADER_FORMATS = [
  'auto',
  'url-pem',
  'pem',
  'base64-der',
  'hex-der',
  'xfcc',
  'rfc9440',
] as const;
export type { AllowedCertificateTypes, BoundTokenSettings, OcspMode };
export type CertificateHeaderFormat = (typeof CERTIFICATE_HEADER_FORMATS)[number];

/** How refusals of authorization (the allowlist and pins: 403) are applied. */
export const ENFORCEMENT_MODES = ['enforce', 'report-only'] as const;
/**
 * `enforce` refuses; `report-only` lets a caller the allowlist or pins would refuse through, and
 * reports it (log event `mtls.would_reject`, metric `mtls_would_reject_total`). Authentication
 * (401: missing, untrusted, expired, revoked, wrong usage) is enforced in both.
 */
export type Enforcement = (typeof ENFORCEMENT_MODES)[number];

/**
 * The proxies whose headers `proxyPreset` knows (see `PROXY_PRESETS` for what each one sets).
 */
export const PROXY_PRESET_NAMES = [
  'nginx',
  'envoy',
  'istio',
  'traefik',
  'haproxy',
  'caddy',
  'aws-alb',
  'aws-alb-passthrough',
  'gcp',
  'cloudflare',
  'azure-app-service',
  'kong',
  'cloudfront',
  'rfc9440',
] as const;
export type ProxyPreset = (typeof PROXY_PRESET_NAMES)[number];

/**
 * Options of `MtlsAuthModule.forRoot()` / `forRootAsync()`. The module validates them all when it
 * starts (see `resolveMtlsAuthOptions`): a bad value stops start-up with a message naming the
 * option and the fix. Defaults are in {@link MTLS_AUTH_DEFAULTS}.
 */
export interface MtlsAuthModuleOptions {
  /** PEM bundle of the CAs that issue client certificates (roots and intermediates). */
  readonly trustedCa: string | Buffer;
  /**
   * PEM CRLs (`BEGIN X509 CRL`), one per CA of the bundle, for forwarded certificates. Direct TLS
   * checks revocation in the handshake: give the server the same CRLs (`mtlsServerOptions`).
   */
  readonly crl?: string | Buffer;
  /**
   * SPIFFE trust domains and their bundles (trust domain name -> the bundle's content: PEM
   * certificates, or a SPIFFE bundle in JWKS form whose keys of `"use": "x509-svid"` carry the CAs).
   * Their CAs are trusted too, but a certificate whose SPIFFE ID names trust domain T only when its
   * chain ends at a CA of T's bundle, and a certificate without one only when its chain ends at a CA
   * of `trustedCa`: one domain's CA cannot mint another's identities (federation, several domains).
   * Direct TLS needs them in the handshake's CAs too: give `mtlsServerOptions` the same bundles.
   * @default undefined (no trust domain rule)
   * @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE_Trust_Domain_and_Bundle.md
   */
  readonly spiffeBundles?: Readonly<Record<string, string | Buffer>>;
  /** Chained to `trustedCa`, self-signed and pinned, or either. @default 'chained' */
  readonly allowedCertificateTypes?: AllowedCertificateTypes;
  /**
   * Identity patterns allowed to call any guarded route (`billing-service`, `*.internal.example`,
   * `spiffe://td/ns/*`, `dn:CN=x,O=y`); empty means any authenticated caller. @default []
   */
  readonly allowedServices?: readonly string[];
  /** SHA-256 (or SHA-1) fingerprints; when set, every certificate must be one of them. @default [] */
  readonly allowedFingerprints?: readonly string[];
  /**
   * Addresses or CIDRs of proxies whose forwarded certificate headers are honoured. With
   * {@link trustedProxyIdentities} too, a proxy must pass both. Together they may cover at most a
   * /8 of IPv4 and a /32 of IPv6 (overlaps counted once); IPv4-mapped IPv6 ranges
   * (`::ffff:10.0.0.0/104`) count as the IPv4 they stand for, and an IPv4 peer that a dual-stack
   * socket reports as `::ffff:a.b.c.d` is matched as IPv4. @default [] (no proxy)
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Identity patterns of the proxies whose forwarded certificate headers are honoured: the proxy
   * must present over TLS a client certificate this service trusts, whose identity matches.
   * Unlike an address, an identity does not move when a container or pod is rescheduled.
   * @default [] (any peer in trustedProxies)
   */
  readonly trustedProxyIdentities?: readonly string[];
  /** The header a trusted proxy writes the verified certificate into. @default 'x-ssl-client-cert' */
  readonly certificateHeader?: string;
  /** @default 'auto' */
  readonly certificateHeaderFormat?: CertificateHeaderFormat;
  /** The header a trusted proxy writes its verdict into (nginx: `SUCCESS`). @default 'x-ssl-client-verify' */
  readonly verifyHeader?: string;
  /**
   * The header a trusted proxy forwards the client's chain in (RFC 9440 `Client-Cert-Chain`,
   * HAProxy `%[ssl_c_chain_der,base64]`), for formats whose certificate header has none (XFCC's
   * `Chain=`, Traefik's list and ALB passthrough's PEM blocks carry theirs). Chain certificates are
   * untrusted hints for building the path, as in a handshake; trust still comes from `trustedCa`.
   * @default undefined (none)
   */
  readonly certificateChainHeader?: string;
  /**
   * What the verdict header says when the proxy verified the certificate (compared
   * ASCII-case-insensitively): nginx `SUCCESS`, HAProxy `0`, GCP and Cloudflare `true`. `NONE` or
   * an empty value reads `MTLS_CERT_MISSING`; any other value refuses (the reason nginx's
   * `FAILED:<reason>` or HAProxy's error number names, else `MTLS_CERT_UNTRUSTED`).
   * @default ['SUCCESS']
   */
  readonly verifySuccessValues?: readonly string[];
  /**
   * A proxy's header names, format, chain header, verdict header and success words in one word
   * (`PROXY_PRESETS`); any of those options given explicitly overrides the preset's.
   * @default undefined (the defaults above: nginx's headers, format `auto`)
   */
  readonly proxyPreset?: ProxyPreset;
  /** OCSP for client certificates. @default 'off' */
  readonly ocsp?: OcspMode;
  /** Responder URL to use instead of the certificates' AIA OCSP URL. */
  readonly ocspUrl?: string;
  /** @default 2000 */
  readonly ocspTimeoutMs?: number;
  /**
   * How many distinct callers' outcomes are remembered, on each path: direct TLS certificates
   * (judged once, then a lookup per new connection) and forwarded certificate headers (judged
   * once, then a lookup per request). Size it above the number of callers active at once.
   * @default 10000
   */
  readonly callerCacheSize?: number;
  /** Identity patterns of callers allowed to name original callers in XFCC. @default [] */
  readonly trustedForwarders?: readonly string[];
  /**
   * The OpenSSL security level (0-5) the server's TLS context verifies client chains at: the
   * weakest key and signature digest it accepts. Forwarded certificates are judged at the same
   * level. Set it only when your server's TLS options change the level (`@SECLEVEL=n` in their
   * `ciphers`): `securityLevelOf({ ciphers })` reads it.
   * @default the level of a context made with `mtlsServerOptions()`, read from OpenSSL at start-up
   *   (2 on Node 24 and 26: RSA and DH keys of 2048 bits, EC of 224, no SHA-1 signatures; 1 on
   *   Node 22: RSA of 1024 bits, still no SHA-1)
   */
  readonly securityLevel?: number;

  // Rolling policy out safely, and certificate-bound tokens.
  /**
   * Service-wide enforcement of authorization (`MTLS_ENFORCEMENT`): `report-only` lets callers the
   * allowlist (service-wide and `@AllowServices`) or the pins would refuse through, logs
   * `mtls.would_reject` once per caller and route and counts them; 401s are always enforced. A
   * route can be report-only alone: `@AllowServices(..., { enforcement: 'report-only' })`.
   * @default 'enforce'
   */
  readonly enforcement?: Enforcement;
  /**
   * How many caller identities the inventory remembers (what `GET /callers` shows): the most
   * recently seen; when full, the tenth seen longest ago is dropped at once. 0 turns it off.
   * @default 10000
   */
  readonly callerInventorySize?: number;
  /**
   * Certificate-bound access tokens (RFC 8705) for `@RequireBoundToken()` routes: who issues
   * them, for which audience, and where their keys are. Unset: such routes refuse every request.
   */
  readonly boundToken?: BoundTokenSettings;
}

/** The default of every optional option: declared here only. */
export const MTLS_AUTH_DEFAULTS = {
  allowedCertificateTypes: 'chained',
  certificateHeader: 'x-ssl-client-cert',
  certificateHeaderFormat: 'auto',
  verifyHeader: 'x-ssl-client-verify',
  verifySuccessValues: ['SUCCESS'],
  ocsp: 'off',
  ocspTimeoutMs: 2000,
  callerCacheSize: 10_000,
  enforcement: 'enforce',
  callerInventorySize: 10_000,
} as const satisfies Partial<MtlsAuthModuleOptions>;
