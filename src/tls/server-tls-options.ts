import { constants, type X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { ServerOptions } from 'node:https';
import type { TlsConfig } from '../config/app-config.js';
import { ConfigurationError } from '../config/configuration.error.js';
import { readConfigFile } from '../config/read-config-file.js';
import { CrlSet, parsePemCertificates } from 'nest-mtls-auth';

/**
 * Builds the HTTPS server options from configuration, reading every file once and proving that
 * they load together (certificate matches key, CA bundle and CRL parse) before the server starts.
 *
 * - `allow`: ask for a certificate, never fail the handshake; the guards decide per route.
 * - `require`: the handshake fails without a certificate that chains to `MTLS_CA_FILE`.
 * - `none`: do not ask (only forwarded certificates can authenticate).
 *
 * TLS 1.2 is the minimum, and OpenSSL refuses every TLS 1.2 renegotiation (TLS 1.3 has none).
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
  let caCount: number;
  try {
    caCount = parsePemCertificates(ca.toString('utf8')).length;
  } catch (cause) {
    throw new ConfigurationError(`MTLS_CA_FILE=${tls.caFile}: ${(cause as Error).message}.`, {
      cause,
    });
  }
  if (caCount === 0) {
    throw new ConfigurationError(
      `MTLS_CA_FILE=${tls.caFile}: holds no PEM certificate. Set it to the CA bundle (roots and intermediates) that issues client certificates.`,
    );
  }
  const crl = tls.crlFile ? readConfigFile('MTLS_CRL_FILE', tls.crlFile) : undefined;
  if (crl) {
    try {
      new CrlSet(crl.toString('utf8'), parsePemCertificates(ca.toString('utf8')));
    } catch (cause) {
      throw new ConfigurationError(`MTLS_CRL_FILE=${tls.crlFile}: ${(cause as Error).message}.`, {
        cause,
      });
    }
  }

  if (!tls.pfxFile) checkServerCertificate(tls.certFile, credentials.cert as Buffer);

  const options: ServerOptions = {
    ...credentials,
    ca,
    // One array entry per CRL: given one string, Node loads only the first CRL it holds, and the
    // other CAs then fail every handshake with UNABLE_TO_GET_CRL.
    ...(crl ? { crl: splitCrls(crl) } : {}),
    minVersion: 'TLSv1.2',
    ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
    // The identity of a connection is judged once and must not change under it. OpenSSL answers a
    // renegotiation attempt with a no_renegotiation alert, which every client reads the same way
    // on every Node line. Node's own `disableRenegotiation()` acts later, in JavaScript, and tears
    // the socket down differently per release (Node 24.22+ closes silently mid-handshake, and a
    // Node client with a write queued then never reports the close).
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
    requestCert: tls.clientCertMode !== 'none',
    // allow mode decides in the guard, so that a refusal is a 401 with a reason, not a reset.
    rejectUnauthorized: tls.clientCertMode === 'require',
  };
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

/**
 * TLS 1.3 suites, then Mozilla's "intermediate" TLS 1.2 list: forward secrecy and AEAD only, no
 * CBC. Every TLS 1.2 client of the last decade offers one of them.
 *
 * @see https://ssl-config.mozilla.org/guidelines/5.7.json
 */
export const MOZILLA_INTERMEDIATE_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
].join(':');

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/**
 * Refuses a server certificate that no client would accept: outside its validity period, or
 * with an extended key usage that lacks serverAuth (a client certificate put in the wrong file).
 * At start-up and on every reload, so a bad rotation keeps the working certificate.
 */
function checkServerCertificate(file: string, pem: Buffer): void {
  let leaf: X509Certificate | undefined;
  try {
    leaf = parsePemCertificates(pem.toString('utf8'))[0];
  } catch (cause) {
    throw new ConfigurationError(`TLS_CERT_FILE=${file}: ${(cause as Error).message}.`, { cause });
  }
  if (!leaf) {
    throw new ConfigurationError(
      `TLS_CERT_FILE=${file}: holds no PEM certificate. Set it to the server certificate (and its chain).`,
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

function pfxPassphrase(tls: TlsConfig): string | undefined {
  if (tls.pfxPassphraseFile) {
    return readConfigFile('TLS_PFX_PASSPHRASE_FILE', tls.pfxPassphraseFile)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  return tls.pfxPassphrase;
}

const PEM_CRL = /-----BEGIN X509 CRL-----[\s\S]*?-----END X509 CRL-----/g;

/** Each `X509 CRL` block of a PEM file, separately. */
function splitCrls(pem: Buffer): string[] {
  return pem.toString('utf8').match(PEM_CRL) ?? [];
}
