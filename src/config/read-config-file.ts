import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from './configuration.error.js';

/**
 * Reads a file named by a variable at start-up (never per request). A missing or unreadable file
 * stops start-up with the variable, the path and the cause.
 *
 * @throws {ConfigurationError}
 */
export function readConfigFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(resolve(path));
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (cause as Error).message;
    const hint = path.startsWith('certs/dev/')
      ? ' Run `npm run certs` to make the development PKI, or'
      : '';
    throw new ConfigurationError(
      `${variable}=${path}: cannot read the file (${reason}).${hint} Set ${variable} to a readable ${variable === 'MTLS_ACCESS_FILE' ? 'JSON' : 'PEM'} file.`,
      { cause },
    );
  }
}
