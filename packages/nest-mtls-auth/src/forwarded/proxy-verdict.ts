import { asciiLower } from '../x509/ascii-case.js';
import { errorCodeOfProxyVerdict } from '../x509/tls-verify-error.js';

/** What a trusted proxy's verdict header says about the certificate it forwarded. */
export type ProxyVerdict =
  | { readonly kind: 'success' }
  /** The client presented no certificate (nginx `NONE`, an empty value). */
  | { readonly kind: 'absent' }
  /** The proxy's own verification failed; `error` is OpenSSL's name for why, `''` when unknown. */
  | { readonly kind: 'failed'; readonly error: string };

const SUCCESS: ProxyVerdict = { kind: 'success' };
const ABSENT: ProxyVerdict = { kind: 'absent' };

/**
 * Reads a proxy's verdict header. A value among `successValues` (compared ASCII-case-insensitively:
 * `SUCCESS`, HAProxy's `0`, `true`) is a success; `NONE` or an empty value says no certificate was
 * presented; anything else is a failure: nginx `FAILED:<OpenSSL's text>`, a non-zero HAProxy
 * `X509_V_ERR_*` number, GCP's or Cloudflare's `false`, each with OpenSSL's name for the error
 * when it says one.
 *
 * @returns `undefined` when the proxy sent no verdict (the certificate is judged on its own).
 * @see https://nginx.org/en/docs/http/ngx_http_ssl_module.html#var_ssl_client_verify
 * @see https://docs.haproxy.org/2.6/configuration.html#7.3.4-ssl_c_verify
 */
export function readProxyVerdict(
  value: string | undefined,
  successValues: readonly string[],
): ProxyVerdict | undefined {
  if (value === undefined) return undefined;
  // The usual answer, written as configured: no folding, no allocation.
  if (successValues.includes(value)) return SUCCESS;
  const word = asciiLower(value.trim());
  if (successValues.some((s) => asciiLower(s) === word)) return SUCCESS;
  if (word === '' || word === 'none') return ABSENT;
  const failure = word.startsWith('failed:') ? value.trim().slice('failed:'.length) : value.trim();
  return { kind: 'failed', error: errorCodeOfProxyVerdict(failure) };
}
