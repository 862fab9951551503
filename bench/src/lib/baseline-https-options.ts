import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
// A type only: a baseline server must not load the auth package, whose cost it is compared against.
import type { MtlsServerOptions } from 'nest-mtls-auth';

/** The environment variable that carries the handshake options (see `handshakeOptionsEnv`). */
export const HANDSHAKE_OPTIONS_VARIABLE = 'BENCH_HANDSHAKE_OPTIONS';

/**
 * In a baseline server (bare Nest, raw `node:https`): the HTTPS options of the shipped app, from
 * `TLS_CERT_FILE`, `TLS_KEY_FILE`, `MTLS_CA_FILE` and the handshake options the benchmark passed
 * on, so that it serves TLS exactly as the shipped app does.
 */
export function baselineHttpsOptions(env: NodeJS.ProcessEnv): ServerOptions {
  const { crl, ...handshake } = JSON.parse(required(env, HANDSHAKE_OPTIONS_VARIABLE)) as Omit<
    MtlsServerOptions,
    'ca'
  >;
  return {
    ...handshake,
    ...(crl ? { crl: [...crl] } : {}),
    cert: readFileSync(required(env, 'TLS_CERT_FILE')),
    key: readFileSync(required(env, 'TLS_KEY_FILE')),
    ca: readFileSync(required(env, 'MTLS_CA_FILE')),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}
