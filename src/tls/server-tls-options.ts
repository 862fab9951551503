import { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { ServerOptions } from 'node:https';
import type { TlsConfig } from '../config/app-config.js';
import { ConfigurationError } from '../config/configuration.error.js';
import { readConfigFile } from '../config/read-config-file.js';
import { readSpiffeBundles } from '../config/mtls-auth-options.factory.js';
import { MtlsAuthOptionsError, mtlsServerOptions, type MtlsServerOptions } from 'nest-mtls-auth';
import { TicketKeys, TicketKeysError } from './ticket-keys.js';

/**
 * Builds the HTTPS server options from configuration, reading every file once and proving that
 * they load together (certificate matches key, CA bundle and CRL parse) before the server starts.
 *
 * - `allow`: ask for a certificate, never fail the handshake; the guards decide per route.
 * - `require`: the handshake fails without a certificate that chains to `MTLS_CA_FILE`.
 * - `none`: do not ask (only forwarded certificates can authenticate).
 *
 * TLS 1.2 is the minimum, and OpenSSL refuses every TLS 1.2 renegotiation (TLS 1.3 has none).
 * The session id context comes from the trust material (see `mtlsServerOptions`); the ticket
 * keys of `TLS_TICKET_KEYS_FILE` are applied to the server by `CertificateReloader`, which reads
 * them once at start-up and on every reload (`readTicketKeys`, `useTicketKeys`).
 *
 * @throws {ConfigurationError} naming the variable and file that do not work.
 */
export function buildServerTlsOptions(tls: TlsConfig): ServerOptions {
  const credentials: SecureContextOptions = tls.pfxFile
    ? { pfx: readConfigFile('TLS_PFX_FILE', tls.pfxFile), passphrase: pfxPassphrase(tls) }
    : {
        cert: readConfigFile('TLS_CERT_FILE', tls.certFile),
        key: readConfigFile('TLS_KEY_FILE', tls.keyFile),
      };

  const ca = readConfigFile('MTLS_CA_FILE', tls.caFile);
  const crl = tls.crlFile ? readConfigFile('MTLS_CRL_FILE', tls.crlFile) : undefined;
  const spiffeBundles = readSpiffeBundles(tls.spiffeBundleFiles);
  let mtls: MtlsServerOptions;
  try {
    mtls = mtlsServerOptions({
      trustedCa: ca,
      crl,
      clientCertificates: tls.clientCertMode,
      spiffeBundles,
    });
  } catch (error) {
    if (!(error instanceof MtlsAuthOptionsError)) throw error;
    const [problem] = error.problems;
    const setting =
      problem?.option === 'crl'
        ? `MTLS_CRL_FILE=${tls.crlFile}`
        : problem?.option === 'spiffeBundles'
          ? `MTLS_SPIFFE_BUNDLES=${JSON.stringify(tls.spiffeBundleFiles)}`
          : `MTLS_CA_FILE=${tls.caFile}`;
    throw new ConfigurationError(`${setting}: ${problem?.message ?? error.message}.`, {
      cause: error,
    });
  }

  if (!tls.pfxFile) checkServerCertificate(tls.certFile, credentials.cert as Buffer);

  const options: ServerOptions = { ...credentials, ...mtls };
  try {
    createSecureContext(options);
  } catch (cause) {
    const files = tls.pfxFile
      ? `TLS_PFX_FILE=${tls.pfxFile}`
      : `TLS_CERT_FILE=${tls.certFile} / TLS_KEY_FILE=${tls.keyFile}`;
    const crlHint = tls.crlFile ? ` or MTLS_CRL_FILE=${tls.crlFile}` : '';
    throw new ConfigurationError(
      `${files}${crlHint}: the TLS credentials do not load (${(cause as Error).message}). Check that the certificate matches the key, the passphrase is right, and the files are PEM (or PKCS#12 for TLS_PFX_FILE).`,
      { cause },
    );
  }
  return options;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/**
 * Refuses a server certificate that should not be served: a CA certificate (basicConstraints
 * CA:TRUE, most likely the CA file named by mistake: a CA's key must not sit on a server, and
 * RFC 5280 keeps CA certificates for signing), one outside its validity period, or one with an
 * extended key usage that lacks serverAuth (a client certificate put in the wrong file). At
 * start-up and on every reload, so a bad rotation keeps the working certificate.
 */
function checkServerCertificate(file: string, pem: Buffer): void {
  let leaf: X509Certificate;
  try {
    // The first certificate of the file: the server's own (its chain may follow).
    leaf = new X509Certificate(pem);
  } catch (cause) {
    throw new ConfigurationError(
      `TLS_CERT_FILE=${file}: holds no readable PEM certificate. Set it to the server certificate (and its chain).`,
      { cause },
    );
  }
  if (leaf.ca) {
    throw new ConfigurationError(
      `TLS_CERT_FILE=${file}: the first certificate is a CA certificate (basicConstraints CA:TRUE), "${leaf.subject.replaceAll('\n', ', ')}", not a server certificate (is it the CA file?). Set it to the server's own certificate, followed by its chain.`,
    );
  }
  const now = Date.now();
  if (now > Date.parse(leaf.validTo)) {
    throw new ConfigurationError(
      `TLS_CERT_FILE=${file}: the server certificate expired on ${leaf.validTo}. Renew it.`,
    );
  }
  if (now < Date.parse(leaf.validFrom)) {
    throw new ConfigurationError(
      `TLS_CERT_FILE=${file}: the server certificate is not valid before ${leaf.validFrom}. Check the clocks.`,
    );
  }
  if (leaf.keyUsage && !leaf.keyUsage.includes(SERVER_AUTH)) {
    throw new ConfigurationError(
      `TLS_CERT_FILE=${file}: the certificate's extended key usage lacks serverAuth, so clients refuse it (is it a client certificate?). Issue it with extendedKeyUsage = serverAuth.`,
    );
  }
}

/**
 * The session-ticket keys of `TLS_TICKET_KEYS_FILE`, or `undefined` without it.
 *
 * @throws {ConfigurationError} naming the variable and the line that is not a key.
 */
export function readTicketKeys(tls: TlsConfig): TicketKeys | undefined {
  if (!tls.ticketKeysFile) return undefined;
  const text = readConfigFile('TLS_TICKET_KEYS_FILE', tls.ticketKeysFile).toString('utf8');
  try {
    return TicketKeys.parse(text);
  } catch (cause) {
    if (!(cause instanceof TicketKeysError)) throw cause;
    throw new ConfigurationError(`TLS_TICKET_KEYS_FILE=${tls.ticketKeysFile}: ${cause.message}.`, {
      cause,
    });
  }
}

function pfxPassphrase(tls: TlsConfig): string | undefined {
  if (tls.pfxPassphraseFile) {
    return readConfigFile('TLS_PFX_PASSPHRASE_FILE', tls.pfxPassphraseFile)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  return tls.pfxPassphrase;
}
