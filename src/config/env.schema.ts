import { z } from 'zod';
import { parseEnvList } from './env-list.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

/** A boolean whose absence means something of its own (a default decided from other variables). */
const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .optional()
  .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v)));

const list = z
  .string()
  .optional()
  .transform((value, ctx) => {
    try {
      return parseEnvList(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const file = z.string().trim().min(1, 'must be a file path');

/** A setting of the auth module: passed through as text; the module validates it (app-config.ts). */
const setting = z.string().trim().min(1, 'must not be empty').optional();

/**
 * `MTLS_SPIFFE_BUNDLES`: a JSON object, trust domain -> bundle file. The module checks the names
 * and the bundles; here only the shape.
 */
const bundleFiles = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON' });
      return z.NEVER;
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      !Object.values(parsed).every((file) => typeof file === 'string' && file.trim() !== '')
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object mapping each trust domain to its bundle file',
      });
      return z.NEVER;
    }
    return parsed as Readonly<Record<string, string>>;
  });

/**
 * Every environment variable the service reads, its default and its rule. Parsing this schema is
 * the only place configuration is validated; the rest of the code receives typed values.
 *
 * @see docs/configuration.md
 */
export const envSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    PORT: port.default(8443),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    HTTP_ADAPTER: z
      .enum(['express', 'fastify'], { error: 'must be express or fastify' })
      .default('express'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be fatal, error, warn, info, debug, trace or silent',
      })
      .default('info'),
    LOG_REQUESTS: bool(false),
    TLS_ENABLED: bool(true),
    TLS_CERT_FILE: file.default('certs/dev/server.crt'),
    TLS_KEY_FILE: file.default('certs/dev/server.key'),
    TLS_PFX_FILE: file.optional(),
    TLS_PFX_PASSPHRASE: z.string().optional(),
    TLS_PFX_PASSPHRASE_FILE: file.optional(),
    TLS_TICKET_KEYS_FILE: file.optional(),
    MTLS_CA_FILE: file.default('certs/dev/ca.crt'),
    MTLS_CRL_FILE: file.optional(),
    MTLS_CLIENT_CERT_MODE: z
      .enum(['none', 'allow', 'require'], { error: 'must be none, allow or require' })
      .default('allow'),
    MTLS_ALLOWED_CERT_TYPES: setting,
    MTLS_ALLOWED_SERVICES: list,
    MTLS_ALLOWED_FINGERPRINTS: list,
    MTLS_ACCESS_FILE: file.optional(),
    MTLS_TRUSTED_PROXIES: list,
    MTLS_TRUSTED_PROXY_IDENTITIES: list,
    MTLS_CERT_HEADER: setting,
    MTLS_CERT_HEADER_FORMAT: setting,
    MTLS_VERIFY_HEADER: setting,
    MTLS_TRUSTED_FORWARDERS: list,
    MTLS_CALLER_CACHE_SIZE: setting,
    MTLS_OCSP: setting,
    MTLS_OCSP_URL: setting,
    MTLS_OCSP_TIMEOUT_MS: setting,
    MTLS_PROXY_PRESET: setting,
    MTLS_CERT_CHAIN_HEADER: setting,
    MTLS_VERIFY_SUCCESS: list,
    MTLS_SPIFFE_BUNDLES: bundleFiles,
    OUTBOUND_CERT_FILE: file.default('certs/dev/outbound.crt'),
    OUTBOUND_KEY_FILE: file.default('certs/dev/outbound.key'),
    OUTBOUND_CA_FILE: file.default('certs/dev/ca.crt'),
    MANAGEMENT_PORT: port.optional(),
    METRICS_ON_MAIN_PORT: optionalBool,
    OPENAPI_PATH: z
      .string()
      .trim()
      .regex(/^(off|\/[A-Za-z0-9._~/-]*)$/, 'must be a path starting with / or off')
      .optional(),
    OPENAPI_SERVER_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    MTLS_ENFORCEMENT: setting,
    MTLS_CALLER_INVENTORY_SIZE: setting,
    MTLS_BOUND_TOKEN_ISSUER: setting,
    MTLS_BOUND_TOKEN_AUDIENCE: setting,
    MTLS_BOUND_TOKEN_JWKS_URL: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .optional(),
    CERT_EXPIRY_WARNING_DAYS: z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(0, 'must be 0 or more')
      .default(30),
  })
  .superRefine((env, ctx) => {
    const token = [
      'MTLS_BOUND_TOKEN_ISSUER',
      'MTLS_BOUND_TOKEN_AUDIENCE',
      'MTLS_BOUND_TOKEN_JWKS_URL',
    ] as const;
    const set = token.filter((name) => env[name] !== undefined);
    if (set.length > 0 && set.length < token.length) {
      for (const name of token.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `certificate-bound tokens need all three of ${token.join(', ')} (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set)`,
        });
      }
    }
    if (env.TLS_PFX_PASSPHRASE !== undefined && env.TLS_PFX_PASSPHRASE_FILE !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TLS_PFX_PASSPHRASE_FILE'],
        message: 'set TLS_PFX_PASSPHRASE or TLS_PFX_PASSPHRASE_FILE, not both',
      });
    }
    if (
      env.MTLS_ACCESS_FILE !== undefined &&
      (env.MTLS_ALLOWED_SERVICES.length > 0 || env.MTLS_ALLOWED_FINGERPRINTS.length > 0)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['MTLS_ACCESS_FILE'],
        message:
          'the access file replaces MTLS_ALLOWED_SERVICES and MTLS_ALLOWED_FINGERPRINTS; set one or the other',
      });
    }
    if (
      env.MTLS_CLIENT_CERT_MODE === 'require' &&
      (env.MTLS_ALLOWED_CERT_TYPES ?? 'chained') !== 'chained'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['MTLS_ALLOWED_CERT_TYPES'],
        message:
          'self-signed certificates cannot pass a handshake in require mode; use MTLS_CLIENT_CERT_MODE=allow with pinned self-signed certificates',
      });
    }
  });

/** The environment after validation: typed, defaults applied, lists split. */
export type Env = z.output<typeof envSchema>;
