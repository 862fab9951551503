import * as v from 'valibot';
import { parseEnvList } from './env-list.js';
import { envUrl } from './env-url.js';

// Defaults are written as the environment would write them (`'8443'`, `'true'`): they go through
// the same rules as a value that is set.

const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no'] as const;

const booleanWord = v.pipe(
  v.picklist(BOOLEAN_WORDS, 'must be true or false'),
  v.transform((word) => ['true', '1', 'yes'].includes(word)),
);

const bool = (fallback: boolean) => v.optional(booleanWord, fallback ? 'true' : 'false');

/** A boolean whose absence means something of its own (a default decided from other variables). */
const optionalBool = v.optional(booleanWord);

const list = v.optional(
  v.pipe(
    v.string(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return parseEnvList(dataset.value);
      } catch (error) {
        addIssue({ message: (error as Error).message });
        return NEVER;
      }
    }),
  ),
  '',
);

/**
 * A whole number as `Number()` reads the text (`''` is 0, `' 80 '` is 80). Not a finite number, or
 * a fraction, stops there; an integer beyond 2^53 is reported and the range checks still run.
 */
const wholeNumber = (notANumber: string, notWhole: string) =>
  v.pipe(
    v.string(),
    v.transform(Number),
    v.custom<number>((n) => Number.isFinite(n), notANumber),
    v.custom<number>((n) => Number.isInteger(n), notWhole),
    v.safeInteger(notWhole),
  );

const port = v.pipe(
  wholeNumber('must be a port number', 'must be a whole number'),
  v.minValue(0, 'must be between 0 and 65535'),
  v.maxValue(65535, 'must be between 0 and 65535'),
);

const file = v.pipe(v.string(), v.trim(), v.minLength(1, 'must be a file path'));

/** A setting of the auth module: passed through as text; the module validates it (app-config.ts). */
const setting = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty')));

/**
 * `MTLS_SPIFFE_BUNDLES`: a JSON object, trust domain -> bundle file. The module checks the names
 * and the bundles; here only the shape.
 */
const bundleFiles = v.optional(
  v.pipe(
    v.string(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const value = dataset.value;
      if (value.trim() === '') return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        addIssue({ message: 'is not JSON' });
        return NEVER;
      }
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed) ||
        !Object.values(parsed).every((file) => typeof file === 'string' && file.trim() !== '')
      ) {
        addIssue({
          message: 'must be a JSON object mapping each trust domain to its bundle file',
        });
        return NEVER;
      }
      return parsed as Readonly<Record<string, string>>;
    }),
  ),
);

const BOUND_TOKEN = [
  'MTLS_BOUND_TOKEN_ISSUER',
  'MTLS_BOUND_TOKEN_AUDIENCE',
  'MTLS_BOUND_TOKEN_JWKS_URL',
] as const;

/**
 * Every environment variable the service reads, its default and its rule. Parsing this schema is
 * the only place configuration is validated; the rest of the code receives typed values.
 *
 * @see docs/configuration.md
 */
export const envSchema = v.pipe(
  v.object({
    NODE_ENV: v.optional(v.string()),
    PORT: v.optional(port, '8443'),
    HOST: v.optional(
      v.pipe(
        v.string(),
        v.trim(),
        v.minLength(1, 'Too small: expected string to have >=1 characters'),
      ),
      '0.0.0.0',
    ),
    HTTP_ADAPTER: v.optional(
      v.picklist(['express', 'fastify'], 'must be express or fastify'),
      'express',
    ),
    LOG_LEVEL: v.optional(
      v.picklist(
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        'must be fatal, error, warn, info, debug, trace or silent',
      ),
      'info',
    ),
    LOG_REQUESTS: bool(false),
    TLS_ENABLED: bool(true),
    TLS_CERT_FILE: v.optional(file, 'certs/dev/server.crt'),
    TLS_KEY_FILE: v.optional(file, 'certs/dev/server.key'),
    TLS_PFX_FILE: v.optional(file),
    TLS_PFX_PASSPHRASE: v.optional(v.string()),
    TLS_PFX_PASSPHRASE_FILE: v.optional(file),
    TLS_TICKET_KEYS_FILE: v.optional(file),
    MTLS_CA_FILE: v.optional(file, 'certs/dev/ca.crt'),
    MTLS_CRL_FILE: v.optional(file),
    MTLS_CLIENT_CERT_MODE: v.optional(
      v.picklist(['none', 'allow', 'require'], 'must be none, allow or require'),
      'allow',
    ),
    MTLS_ALLOWED_CERT_TYPES: setting,
    MTLS_ALLOWED_SERVICES: list,
    MTLS_ALLOWED_FINGERPRINTS: list,
    MTLS_ACCESS_FILE: v.optional(file),
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
    OUTBOUND_CERT_FILE: v.optional(file, 'certs/dev/outbound.crt'),
    OUTBOUND_KEY_FILE: v.optional(file, 'certs/dev/outbound.key'),
    OUTBOUND_CA_FILE: v.optional(file, 'certs/dev/ca.crt'),
    MANAGEMENT_PORT: v.optional(port),
    METRICS_ON_MAIN_PORT: optionalBool,
    OPENAPI_PATH: v.optional(
      v.pipe(
        v.string(),
        v.trim(),
        v.regex(/^(off|\/[A-Za-z0-9._~/-]*)$/, 'must be a path starting with / or off'),
      ),
    ),
    OPENAPI_SERVER_URL: v.optional(
      envUrl(['http', 'https'], 'must be an http:// or https:// URL', { base: true }),
    ),
    MTLS_ENFORCEMENT: setting,
    MTLS_CALLER_INVENTORY_SIZE: setting,
    MTLS_BOUND_TOKEN_ISSUER: setting,
    MTLS_BOUND_TOKEN_AUDIENCE: setting,
    MTLS_BOUND_TOKEN_JWKS_URL: v.optional(envUrl(['https'], 'must be an https:// URL')),
    CERT_EXPIRY_WARNING_DAYS: v.optional(
      v.pipe(
        wholeNumber('must be a number of days', 'must be a whole number of days'),
        v.minValue(0, 'must be 0 or more'),
      ),
      '30',
    ),
  }),
  // The checks across variables, each reported on one of them. They run unless a value did not
  // parse (an unknown word, a list or a number that does not read); a value out of range is no bar.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const env = dataset.value;
    const set = BOUND_TOKEN.filter((name) => env[name] !== undefined);
    if (set.length > 0 && set.length < BOUND_TOKEN.length) {
      for (const name of BOUND_TOKEN.filter((n) => env[n] === undefined)) {
        addIssue({
          message: `certificate-bound tokens need all three of ${BOUND_TOKEN.join(', ')} (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set)`,
          path: [{ type: 'object', origin: 'value', input: env, key: name, value: env[name] }],
        });
      }
    }
  }),
  v.forward(
    v.check(
      (env) => env.TLS_PFX_PASSPHRASE === undefined || env.TLS_PFX_PASSPHRASE_FILE === undefined,
      'set TLS_PFX_PASSPHRASE or TLS_PFX_PASSPHRASE_FILE, not both',
    ),
    ['TLS_PFX_PASSPHRASE_FILE'],
  ),
  v.forward(
    v.check(
      (env) =>
        env.MTLS_ACCESS_FILE === undefined ||
        (env.MTLS_ALLOWED_SERVICES.length === 0 && env.MTLS_ALLOWED_FINGERPRINTS.length === 0),
      'the access file replaces MTLS_ALLOWED_SERVICES and MTLS_ALLOWED_FINGERPRINTS; set one or the other',
    ),
    ['MTLS_ACCESS_FILE'],
  ),
  v.forward(
    v.check(
      (env) =>
        env.MTLS_CLIENT_CERT_MODE !== 'require' ||
        (env.MTLS_ALLOWED_CERT_TYPES ?? 'chained') === 'chained',
      'self-signed certificates cannot pass a handshake in require mode; use MTLS_CLIENT_CERT_MODE=allow with pinned self-signed certificates',
    ),
    ['MTLS_ALLOWED_CERT_TYPES'],
  ),
);

/** The environment after validation: typed, defaults applied, lists split. */
export type Env = v.InferOutput<typeof envSchema>;
