import * as v from 'valibot';
import { ConfigurationError } from './configuration.error.js';
import { envSchema, type Env } from './env.schema.js';
import {
  checkMtlsAuthSettings,
  MtlsAuthOptionsError,
  type CheckedMtlsAuthSettings,
  type MtlsAuthModuleOptions,
  type MtlsAuthSettings,
} from 'nest-mtls-auth';

/** Where and how the service listens. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly adapter: 'express' | 'fastify';
  readonly managementPort?: number;
  /**
   * `/metrics` on the main port: `METRICS_ON_MAIN_PORT` when set, else only without
   * `MANAGEMENT_PORT` and outside production (the metrics name every client CA, and the main port
   * is reachable by every caller).
   */
  readonly metricsOnMainPort: boolean;
  readonly logLevel: Env['LOG_LEVEL'];
  /** Request context (pino-http) on every log line, and a line per request; off by default. */
  readonly logRequests: boolean;
  /** Days before expiry that /health and the logs report as a warning. */
  readonly expiryWarningDays: number;
  /** Where the OpenAPI document is served; `undefined`: not served. */
  readonly openApiPath: string | undefined;
  /**
   * The server URL the OpenAPI document names (`OPENAPI_SERVER_URL`, no trailing slash);
   * `undefined`: this service's own URL as configured (see `serviceUrl`).
   */
  readonly openApiServerUrl: string | undefined;
}

/** The server's own TLS credentials and what it asks of clients in the handshake. */
export interface TlsConfig {
  readonly enabled: boolean;
  readonly certFile: string;
  readonly keyFile: string;
  readonly pfxFile?: string;
  readonly pfxPassphrase?: string;
  readonly pfxPassphraseFile?: string;
  /** Session-ticket keys shared by the replicas (the first encrypts, all decrypt); watched. */
  readonly ticketKeysFile?: string;
  readonly caFile: string;
  readonly crlFile?: string;
  readonly clientCertMode: Env['MTLS_CLIENT_CERT_MODE'];
  /** `MTLS_SPIFFE_BUNDLES`: trust domain -> bundle file, whose CAs the handshake trusts too. */
  readonly spiffeBundleFiles?: Readonly<Record<string, string>>;
}

/** Who may authenticate and how forwarded certificates are read. */
export interface MtlsConfig {
  readonly caFile: string;
  readonly crlFile?: string;
  /** JSON file with allowedServices and allowedFingerprints, watched (replaces the two lists). */
  readonly accessFile?: string;
  /** The auth module's settings, checked by the module, its defaults applied. */
  readonly settings: CheckedMtlsAuthSettings;
  /** `MTLS_SPIFFE_BUNDLES`: trust domain -> bundle file (PEM or SPIFFE bundle JWKS), watched. */
  readonly spiffeBundleFiles?: Readonly<Record<string, string>>;
}

/**
 * The environment variable behind each option of the auth module. `securityLevel` has none: the
 * module reads it from OpenSSL with the server's own cipher settings (`mtlsServerOptions`).
 */
export const OPTION_VARIABLES: Readonly<
  Record<Exclude<keyof MtlsAuthModuleOptions, 'securityLevel'>, keyof Env>
> = {
  trustedCa: 'MTLS_CA_FILE',
  crl: 'MTLS_CRL_FILE',
  allowedCertificateTypes: 'MTLS_ALLOWED_CERT_TYPES',
  allowedServices: 'MTLS_ALLOWED_SERVICES',
  allowedFingerprints: 'MTLS_ALLOWED_FINGERPRINTS',
  trustedProxies: 'MTLS_TRUSTED_PROXIES',
  trustedProxyIdentities: 'MTLS_TRUSTED_PROXY_IDENTITIES',
  certificateHeader: 'MTLS_CERT_HEADER',
  certificateHeaderFormat: 'MTLS_CERT_HEADER_FORMAT',
  verifyHeader: 'MTLS_VERIFY_HEADER',
  ocsp: 'MTLS_OCSP',
  ocspUrl: 'MTLS_OCSP_URL',
  ocspTimeoutMs: 'MTLS_OCSP_TIMEOUT_MS',
  callerCacheSize: 'MTLS_CALLER_CACHE_SIZE',
  trustedForwarders: 'MTLS_TRUSTED_FORWARDERS',
  // Behind every proxy, and SPIFFE trust domains.
  spiffeBundles: 'MTLS_SPIFFE_BUNDLES',
  certificateChainHeader: 'MTLS_CERT_CHAIN_HEADER',
  verifySuccessValues: 'MTLS_VERIFY_SUCCESS',
  proxyPreset: 'MTLS_PROXY_PRESET',
  enforcement: 'MTLS_ENFORCEMENT',
  callerInventorySize: 'MTLS_CALLER_INVENTORY_SIZE',
  boundToken: 'MTLS_BOUND_TOKEN_JWKS_URL',
};

/** The setting a user changes for an option of the auth module (its variable, where it has one). */
export function settingOf(option: keyof MtlsAuthModuleOptions): string {
  return option === 'securityLevel'
    ? "the server's TLS security level (@SECLEVEL in its ciphers)"
    : OPTION_VARIABLES[option];
}

/** This service's own identity for calls to other services. */
export interface OutboundConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** The whole validated configuration, one object per area. */
export interface AppConfig {
  readonly server: ServerConfig;
  readonly tls: TlsConfig;
  readonly mtls: MtlsConfig;
  readonly outbound: OutboundConfig;
}

/** What to do about a bad value, per variable (the schema says what is wrong). */
const FIXES: Readonly<Partial<Record<keyof Env, string>>> = {
  PORT: 'set PORT to a free port, e.g. PORT=8443',
  HTTP_ADAPTER: 'set HTTP_ADAPTER=express or HTTP_ADAPTER=fastify',
  TLS_ENABLED: 'set TLS_ENABLED=true, or false only behind a proxy on a private network',
  MTLS_CLIENT_CERT_MODE:
    'set MTLS_CLIENT_CERT_MODE=allow (routes decide), require (handshake needs a valid certificate) or none',
  MTLS_ALLOWED_CERT_TYPES: 'set MTLS_ALLOWED_CERT_TYPES=chained (default), self-signed or all',
  MTLS_ALLOWED_SERVICES:
    'write patterns as billing-service, *.internal.example, spiffe://td/path/*, or a JSON array for dn: patterns',
  MTLS_ALLOWED_FINGERPRINTS:
    'list SHA-256 fingerprints, e.g. from: openssl x509 -in client.crt -noout -fingerprint -sha256',
  MTLS_TRUSTED_PROXIES:
    "give the proxies' own addresses, as IPs or CIDRs covering at most a /8 of IPv4 and a /32 of IPv6 in all, e.g. MTLS_TRUSTED_PROXIES=10.20.0.0/16,127.0.0.1; or trust the proxies by their certificate with MTLS_TRUSTED_PROXY_IDENTITIES",
  MTLS_TRUSTED_FORWARDERS: 'write identity patterns, as for MTLS_ALLOWED_SERVICES',
  MTLS_TRUSTED_PROXY_IDENTITIES:
    "write identity patterns of the proxy's client certificate, as for MTLS_ALLOWED_SERVICES (e.g. nginx-proxy)",
  MTLS_CALLER_CACHE_SIZE:
    'set how many distinct callers to remember, e.g. MTLS_CALLER_CACHE_SIZE=10000 (about 6 KB each when forwarded)',
  MTLS_OCSP:
    'set MTLS_OCSP=off, soft (only a revoked answer refuses) or hard (anything but good refuses)',
  MTLS_CERT_HEADER: 'set the header your proxy writes the certificate into, e.g. x-ssl-client-cert',
  MTLS_VERIFY_HEADER: 'set the header your proxy writes its verdict into, e.g. x-ssl-client-verify',
  MTLS_CERT_HEADER_FORMAT:
    'set MTLS_CERT_HEADER_FORMAT=auto unless the proxy is known (url-pem for nginx, xfcc for Envoy)',
  MTLS_OCSP_URL:
    'set the responder URL, e.g. MTLS_OCSP_URL=http://ocsp.internal.example, or leave it unset',
  MTLS_OCSP_TIMEOUT_MS: 'set milliseconds, e.g. MTLS_OCSP_TIMEOUT_MS=2000',
  MTLS_PROXY_PRESET:
    'set your proxy: nginx, envoy, istio, traefik, haproxy, caddy, aws-alb, aws-alb-passthrough, gcp, cloudflare, azure-app-service, kong, cloudfront or rfc9440 (docs/behind-a-proxy.md)',
  MTLS_CERT_CHAIN_HEADER:
    'set the header your proxy writes the client chain into, e.g. client-cert-chain, or leave it unset',
  MTLS_VERIFY_SUCCESS:
    'list what the verdict header says on success, e.g. MTLS_VERIFY_SUCCESS=SUCCESS (nginx), 0 (HAProxy), true (GCP, Cloudflare)',
  MTLS_SPIFFE_BUNDLES:
    'map each trust domain to its bundle file (PEM, or a SPIFFE bundle in JWKS form), e.g. MTLS_SPIFFE_BUNDLES=\'{"prod.example":"/spiffe/prod.pem","partner.example":"/spiffe/partner.jwks"}\'',
  MANAGEMENT_PORT: 'set MANAGEMENT_PORT to a free port other than PORT, or leave it unset',
  MTLS_ENFORCEMENT:
    'set MTLS_ENFORCEMENT=enforce (refuse) or report-only (let through, log mtls.would_reject and count it)',
  MTLS_CALLER_INVENTORY_SIZE:
    'set how many caller identities GET /callers remembers, e.g. MTLS_CALLER_INVENTORY_SIZE=10000 (0: off)',
  MTLS_BOUND_TOKEN_ISSUER:
    "set the authorization server's issuer, e.g. MTLS_BOUND_TOKEN_ISSUER=https://auth.internal.example",
  MTLS_BOUND_TOKEN_AUDIENCE:
    "set this service's audience at the authorization server, e.g. MTLS_BOUND_TOKEN_AUDIENCE=https://billing.internal.example",
  MTLS_BOUND_TOKEN_JWKS_URL:
    "set the authorization server's jwks_uri, e.g. MTLS_BOUND_TOKEN_JWKS_URL=https://auth.internal.example/jwks",
  METRICS_ON_MAIN_PORT:
    'set METRICS_ON_MAIN_PORT=true to serve /metrics on the main port too, false never to, or leave it unset',
  OPENAPI_PATH: 'set a path such as /openapi.json, or off',
  OPENAPI_SERVER_URL:
    'set the URL callers use to reach this service, e.g. OPENAPI_SERVER_URL=https://billing.internal.example, or leave it unset',
};

function describe(variable: string, value: unknown, problem: string): string {
  const shown = value === undefined ? '(unset)' : JSON.stringify(value);
  const fix = FIXES[variable as keyof Env] ?? 'see .env.example for the expected form';
  return `${variable}=${shown}: ${problem}. Fix: ${fix}.`;
}

/**
 * Validates the environment and shapes it into typed configuration. Identity patterns and pins
 * are compiled here too, so a typo stops start-up instead of silently refusing every caller.
 *
 * @throws {ConfigurationError} listing every invalid variable with its value and the fix.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv): AppConfig {
  const result = v.safeParse(envSchema, env);
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const key = issue.path?.[0]?.key;
      const variable = typeof key === 'string' ? key : 'environment';
      return describe(variable, env[variable], issue.message);
    });
    throw new ConfigurationError(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  const e = result.output;
  const problems: string[] = [];
  let settings: CheckedMtlsAuthSettings | undefined;
  try {
    settings = checkMtlsAuthSettings(mtlsSettingsFromEnv(e));
  } catch (error) {
    if (!(error instanceof MtlsAuthOptionsError)) throw error;
    problems.push(...describeOptionProblems(error, env));
  }
  if (e.MANAGEMENT_PORT !== undefined && e.MANAGEMENT_PORT !== 0 && e.MANAGEMENT_PORT === e.PORT) {
    problems.push(describe('MANAGEMENT_PORT', env.MANAGEMENT_PORT, 'must differ from PORT'));
  }
  if (
    e.MTLS_TRUSTED_PROXY_IDENTITIES.length > 0 &&
    (!e.TLS_ENABLED || e.MTLS_CLIENT_CERT_MODE === 'none')
  ) {
    problems.push(
      describe(
        'MTLS_TRUSTED_PROXY_IDENTITIES',
        env.MTLS_TRUSTED_PROXY_IDENTITIES,
        'a proxy proves its identity with a client certificate over TLS, which this configuration never asks for',
      ) + ' Or set TLS_ENABLED=true and MTLS_CLIENT_CERT_MODE=allow or require.',
    );
  }
  const forwarding =
    e.MTLS_TRUSTED_PROXIES.length > 0 || e.MTLS_TRUSTED_PROXY_IDENTITIES.length > 0;
  if (!e.TLS_ENABLED && !forwarding) {
    problems.push(
      describe(
        'TLS_ENABLED',
        env.TLS_ENABLED,
        'without TLS only forwarded certificates authenticate, and no proxy is trusted',
      ) + ' Or set MTLS_TRUSTED_PROXIES to the proxy addresses.',
    );
  }
  if (problems.length > 0 || settings === undefined)
    throw new ConfigurationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);

  return {
    server: {
      port: e.PORT,
      host: e.HOST,
      adapter: e.HTTP_ADAPTER,
      managementPort: e.MANAGEMENT_PORT,
      metricsOnMainPort:
        e.METRICS_ON_MAIN_PORT ?? (e.MANAGEMENT_PORT === undefined && e.NODE_ENV !== 'production'),
      logLevel: e.LOG_LEVEL,
      logRequests: e.LOG_REQUESTS,
      expiryWarningDays: e.CERT_EXPIRY_WARNING_DAYS,
      // Off in production unless asked for; 'off' turns it off anywhere.
      openApiPath:
        e.OPENAPI_PATH === 'off'
          ? undefined
          : (e.OPENAPI_PATH ?? (e.NODE_ENV === 'production' ? undefined : '/openapi.json')),
      openApiServerUrl: e.OPENAPI_SERVER_URL,
    },
    tls: {
      enabled: e.TLS_ENABLED,
      certFile: e.TLS_CERT_FILE,
      keyFile: e.TLS_KEY_FILE,
      pfxFile: e.TLS_PFX_FILE,
      pfxPassphrase: e.TLS_PFX_PASSPHRASE,
      pfxPassphraseFile: e.TLS_PFX_PASSPHRASE_FILE,
      ticketKeysFile: e.TLS_TICKET_KEYS_FILE,
      caFile: e.MTLS_CA_FILE,
      crlFile: e.MTLS_CRL_FILE,
      clientCertMode: e.MTLS_CLIENT_CERT_MODE,
      spiffeBundleFiles: e.MTLS_SPIFFE_BUNDLES,
    },
    mtls: {
      caFile: e.MTLS_CA_FILE,
      crlFile: e.MTLS_CRL_FILE,
      accessFile: e.MTLS_ACCESS_FILE,
      settings,
      spiffeBundleFiles: e.MTLS_SPIFFE_BUNDLES,
    },
    outbound: {
      certFile: e.OUTBOUND_CERT_FILE,
      keyFile: e.OUTBOUND_KEY_FILE,
      caFile: e.OUTBOUND_CA_FILE,
    },
  };
}

/** The auth module's settings as the environment gives them; the module checks them. */
function mtlsSettingsFromEnv(e: Env): MtlsAuthSettings {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    allowedCertificateTypes:
      e.MTLS_ALLOWED_CERT_TYPES as MtlsAuthSettings['allowedCertificateTypes'],
    allowedServices: e.MTLS_ALLOWED_SERVICES,
    allowedFingerprints: e.MTLS_ALLOWED_FINGERPRINTS,
    trustedProxies: e.MTLS_TRUSTED_PROXIES,
    trustedProxyIdentities: e.MTLS_TRUSTED_PROXY_IDENTITIES,
    certificateHeader: e.MTLS_CERT_HEADER,
    certificateHeaderFormat:
      e.MTLS_CERT_HEADER_FORMAT as MtlsAuthSettings['certificateHeaderFormat'],
    verifyHeader: e.MTLS_VERIFY_HEADER,
    ocsp: e.MTLS_OCSP as MtlsAuthSettings['ocsp'],
    ocspUrl: e.MTLS_OCSP_URL,
    ocspTimeoutMs: number(e.MTLS_OCSP_TIMEOUT_MS),
    callerCacheSize: number(e.MTLS_CALLER_CACHE_SIZE),
    trustedForwarders: e.MTLS_TRUSTED_FORWARDERS,
    proxyPreset: e.MTLS_PROXY_PRESET as MtlsAuthSettings['proxyPreset'],
    certificateChainHeader: e.MTLS_CERT_CHAIN_HEADER,
    verifySuccessValues: e.MTLS_VERIFY_SUCCESS.length > 0 ? e.MTLS_VERIFY_SUCCESS : undefined,
    enforcement: e.MTLS_ENFORCEMENT as MtlsAuthSettings['enforcement'],
    callerInventorySize: number(e.MTLS_CALLER_INVENTORY_SIZE),
    boundToken:
      e.MTLS_BOUND_TOKEN_ISSUER && e.MTLS_BOUND_TOKEN_AUDIENCE && e.MTLS_BOUND_TOKEN_JWKS_URL
        ? {
            issuer: e.MTLS_BOUND_TOKEN_ISSUER,
            audience: e.MTLS_BOUND_TOKEN_AUDIENCE,
            jwksUrl: e.MTLS_BOUND_TOKEN_JWKS_URL,
          }
        : undefined,
  };
}

/** The module's complaints, each under the environment variable behind the option. */
export function describeOptionProblems(
  error: MtlsAuthOptionsError,
  env: NodeJS.ProcessEnv,
): string[] {
  return error.problems.map((problem) => {
    const variable = settingOf(problem.option);
    return describe(variable, env[variable], problem.message);
  });
}
