import { constants, createHash } from 'node:crypto';
import type { SecureVersion } from 'node:tls';
import { MtlsAuthOptionsError, type OptionProblem } from '../options/options-error.js';
import { checkTrust } from '../options/resolve-options.js';
import { splitPemCrls } from '../x509/crl-set.js';
import { MOZILLA_INTERMEDIATE_CIPHERS } from '../tls/cipher-suites.js';

/** What the handshake asks of clients. */
export type ClientCertificateMode = 'none' | 'allow' | 'require';

/** The trust material and the mode; the server's own certificate and key are the app's. */
export interface MtlsServerOptionsInput {
  /** The same PEM bundle as the module's `trustedCa`. */
  readonly trustedCa: string | Buffer;
  /** The same PEM CRLs as the module's `crl`: one per CA of the bundle. */
  readonly crl?: string | Buffer;
  /**
   * `allow` (default): ask for a certificate, never fail the handshake; the guards decide per route
   * with a 401 and a reason code. `require`: the handshake fails without a certificate that chains
   * to the bundle. `none`: do not ask (only forwarded certificates can authenticate).
   */
  readonly clientCertificates?: ClientCertificateMode;
  /**
   * The same SPIFFE trust domains' bundles as the module's `spiffeBundles`: their CAs join the
   * handshake's. The server then issues no session tickets: a resumed session keeps the leaf
   * alone, without the intermediates it was sent with, and a leaf alone cannot show which trust
   * domain's CA its chain ends at, so every connection makes a full handshake.
   */
  readonly spiffeBundles?: Readonly<Record<string, string | Buffer>>;
}

/** The TLS server options {@link mtlsServerOptions} sets (a subset of Node's `TlsOptions`). */
export interface MtlsServerOptions {
  /** The CA bundle; with trust domains, the bundle then each trust domain's CAs (PEM). */
  readonly ca: string | Buffer | (string | Buffer)[];
  readonly crl?: string[];
  readonly minVersion: SecureVersion;
  readonly ciphers: string;
  readonly secureOptions: number;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
  readonly sessionIdContext: string;
}

/**
 * The TLS server options that make the handshake the judge of client certificates, as the module
 * expects (spread them into `httpsOptions`, or Fastify's `https`, next to `cert` and `key`):
 *
 * - the CA bundle, and the CRLs one array entry each (given one string, Node loads only the first
 *   CRL, and the other CAs then fail every handshake with UNABLE_TO_GET_CRL);
 * - TLS 1.2 at least, Mozilla's "intermediate" suites (forward secrecy and AEAD only, no CBC);
 * - every renegotiation refused by OpenSSL (`SSL_OP_NO_RENEGOTIATION`): a connection's caller is
 *   judged once and must not change under it. Node's own `disableRenegotiation()` acts later, in
 *   JavaScript, and tears the socket down differently per release;
 * - a session id context made from the trust material and the mode. A resumed session skips
 *   verification and keeps the verdict of the handshake that made it, so it must not outlive the
 *   trust that verdict came from: a new CA bundle or CRL changes the context, and OpenSSL then
 *   answers every older session with a full handshake (a revoked caller is refused at once, not
 *   when its ticket expires). Replicas with the same trust share the context, so with shared
 *   ticket keys a session resumes on any of them (Node's default context hashes the process's
 *   command line, which replicas started differently do not share).
 *
 * @throws {MtlsAuthOptionsError} naming `trustedCa` or `crl` when they do not work together.
 */
export function mtlsServerOptions(input: MtlsServerOptionsInput): MtlsServerOptions {
  const mode = input.clientCertificates ?? 'allow';
  const problems: OptionProblem[] = [];
  const trust = checkTrust(input.trustedCa, input.crl, problems, input.spiffeBundles);
  if (problems.length > 0 || !trust) throw new MtlsAuthOptionsError(problems);
  const domainCas = trust.trustDomains?.cas.map((ca) => ca.toString()) ?? [];
  // One array entry per CRL: given one string, Node loads only the first CRL it holds, and the
  // other CAs then fail every handshake with UNABLE_TO_GET_CRL.
  const crls = input.crl === undefined ? undefined : splitPemCrls(input.crl.toString());
  return {
    ca: domainCas.length === 0 ? input.trustedCa : [input.trustedCa, ...domainCas],
    ...(crls ? { crl: crls } : {}),
    minVersion: 'TLSv1.2',
    ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
    // With trust domains, no resumption (see MtlsServerOptionsInput.spiffeBundles): Node keeps no
    // session cache of its own, so without tickets every handshake is a full one.
    secureOptions:
      constants.SSL_OP_NO_RENEGOTIATION | (domainCas.length > 0 ? constants.SSL_OP_NO_TICKET : 0),
    requestCert: mode !== 'none',
    // allow mode decides in the guard, so that a refusal is a 401 with a reason, not a reset.
    rejectUnauthorized: mode === 'require',
    sessionIdContext: sessionIdContext(mode, input.trustedCa, input.crl, domainCas),
  };
}

/**
 * 32 hex characters (OpenSSL's limit is 32 bytes) naming the mode, the CA bundle, the CRLs and the
 * trust domains' CAs.
 */
function sessionIdContext(
  mode: ClientCertificateMode,
  ca: string | Buffer,
  crl: string | Buffer | undefined,
  domainCas: readonly string[],
): string {
  const hash = createHash('sha256').update(`mtls-session:${mode}\0`).update(ca).update('\0');
  if (crl !== undefined) hash.update(crl);
  for (const pem of domainCas) hash.update('\0').update(pem);
  return hash.digest('hex').slice(0, 32);
}
