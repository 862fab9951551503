import { isIP } from 'node:net';
import { z } from 'zod';
import { parseEnvList } from './env-list.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

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

/** An HTTP header name (RFC 9110 token), lower-cased as Node presents it. */
const headerName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[!#$%&'*+.^_`|~0-9a-z-]+$/, 'must be an HTTP header name, e.g. x-ssl-client-cert');

/** `0.0.0.0/0`, `::/0` and the like: every address. */
function isEveryAddress(cidr: string): boolean {
  return cidr.split('/')[1] === '0';
}

/** `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`. */
export function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Every environment variable the service reads, its default and its rule. Parsing this schema is
 * the only place configuration is validated; the rest of the code receives typed values.
 *
 * @see README.md, "Configuration"
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
    MTLS_CA_FILE: file.default('certs/dev/ca.crt'),
    MTLS_CRL_FILE: file.optional(),
    MTLS_CLIENT_CERT_MODE: z
      .enum(['none', 'allow', 'require'], { error: 'must be none, allow or require' })
      .default('allow'),
    MTLS_ALLOWED_CERT_TYPES: z
      .enum(['chained', 'self-signed', 'all'], { error: 'must be chained, self-signed or all' })
      .default('chained'),
    MTLS_ALLOWED_SERVICES: list,
    MTLS_ALLOWED_FINGERPRINTS: list,
    MTLS_ACCESS_FILE: file.optional(),
    MTLS_TRUSTED_PROXIES: list
      .refine((v) => v.every(isCidr), {
        message: 'must be a comma list of IP addresses or CIDR ranges (10.0.0.0/8, ::1)',
      })
      .refine((v) => !v.some(isEveryAddress), {
        message:
          'a /0 range trusts every peer on the network to forward any certificate it likes; list only the proxies',
      }),
    MTLS_TRUSTED_PROXY_IDENTITIES: list,
    MTLS_CERT_HEADER: headerName.default('x-ssl-client-cert'),
    MTLS_CERT_HEADER_FORMAT: z
      .enum(['auto', 'url-pem', 'pem', 'base64-der', 'hex-der', 'xfcc', 'rfc9440'], {
        error: 'must be auto, url-pem, pem, base64-der, hex-der, xfcc or rfc9440',
      })
      .default('auto'),
    MTLS_VERIFY_HEADER: headerName.default('x-ssl-client-verify'),
    MTLS_TRUSTED_FORWARDERS: list,
    MTLS_CALLER_CACHE_SIZE: z.coerce
      .number({ error: 'must be a number of callers' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000')
      .default(10_000),
    MTLS_OCSP: z
      .enum(['off', 'soft', 'hard'], { error: 'must be off, soft or hard' })
      .default('off'),
    MTLS_OCSP_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    MTLS_OCSP_TIMEOUT_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number')
      .min(100, 'must be at least 100')
      .max(30_000, 'must be at most 30000')
      .default(2000),
    OUTBOUND_CERT_FILE: file.default('certs/dev/outbound.crt'),
    OUTBOUND_KEY_FILE: file.default('certs/dev/outbound.key'),
    OUTBOUND_CA_FILE: file.default('certs/dev/ca.crt'),
    MANAGEMENT_PORT: port.optional(),
    CERT_EXPIRY_WARNING_DAYS: z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(0, 'must be 0 or more')
      .default(30),
    EXAMPLE_RELAY_URL: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  })
  .superRefine((env, ctx) => {
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
    if (env.MTLS_VERIFY_HEADER === env.MTLS_CERT_HEADER) {
      ctx.addIssue({
        code: 'custom',
        path: ['MTLS_VERIFY_HEADER'],
        message:
          "must differ from MTLS_CERT_HEADER: one carries the certificate, the other the proxy's verdict",
      });
    }
    if (env.MTLS_CLIENT_CERT_MODE === 'require' && env.MTLS_ALLOWED_CERT_TYPES !== 'chained') {
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
