import { existsSync } from 'node:fs';
import type { MtlsConfig, OutboundConfig } from './app-config.js';
import { parseAccessFile, type AccessRules } from './access-file.js';
import { ConfigurationError } from './configuration.error.js';
import { readConfigFile } from './read-config-file.js';
import { type MtlsAuthModuleOptions } from 'nest-mtls-auth';

/**
 * The auth module's options from the `mtls` config area; files are read here, once. The JWKS of
 * certificate-bound tokens is fetched trusting `OUTBOUND_CA_FILE` when it exists (the CA of this
 * service's peers), else Node's own store.
 */
export function mtlsAuthOptionsFromConfig(
  mtls: MtlsConfig,
  outbound?: OutboundConfig,
): MtlsAuthModuleOptions {
  const access = mtls.accessFile ? readAccessFile(mtls.accessFile) : undefined;
  const { boundToken } = mtls.settings;
  const jwksCa =
    boundToken && outbound && existsSync(outbound.caFile)
      ? readConfigFile('OUTBOUND_CA_FILE', outbound.caFile)
      : undefined;
  return {
    ...mtls.settings,
    ...access,
    ...(boundToken ? { boundToken: { ...boundToken, ...(jwksCa ? { jwksCa } : {}) } } : {}),
    trustedCa: readConfigFile('MTLS_CA_FILE', mtls.caFile),
    crl: mtls.crlFile ? readConfigFile('MTLS_CRL_FILE', mtls.crlFile) : undefined,
    spiffeBundles: readSpiffeBundles(mtls.spiffeBundleFiles),
  };
}

/**
 * The files of `MTLS_SPIFFE_BUNDLES` read (trust domain -> content); the module checks them.
 *
 * @throws {ConfigurationError} naming the variable, the trust domain and the path of a file that
 *   cannot be read.
 */
export function readSpiffeBundles(
  files: Readonly<Record<string, string>> | undefined,
): Record<string, Buffer> | undefined {
  if (files === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(files).map(([domain, path]) => [
      domain,
      readConfigFile(`MTLS_SPIFFE_BUNDLES["${domain}"]`, path),
    ]),
  );
}

/**
 * Reads and checks `MTLS_ACCESS_FILE`.
 *
 * @throws {ConfigurationError} naming the variable, the path and what is wrong.
 */
export function readAccessFile(path: string): AccessRules {
  const text = readConfigFile('MTLS_ACCESS_FILE', path).toString('utf8');
  try {
    return parseAccessFile(text);
  } catch (cause) {
    throw new ConfigurationError(`MTLS_ACCESS_FILE=${path}: ${(cause as Error).message}.`, {
      cause,
    });
  }
}
