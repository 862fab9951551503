import { readFileSync } from 'node:fs';
import { mtlsServerOptions } from 'nest-mtls-auth';
import { HANDSHAKE_OPTIONS_VARIABLE } from './baseline-https-options.js';

/**
 * The shipped app's TLS handshake options for `caFile` (`mtlsServerOptions`: client certificates
 * asked for, not required, its ciphers, versions and session id context), as an environment
 * variable for the baseline servers (`baselineHttpsOptions`).
 */
export function handshakeOptionsEnv(caFile: string): Record<string, string> {
  const options = mtlsServerOptions({ trustedCa: readFileSync(caFile) });
  // The CA goes by its file (MTLS_CA_FILE), as to the shipped app.
  return { [HANDSHAKE_OPTIONS_VARIABLE]: JSON.stringify({ ...options, ca: undefined }) };
}
