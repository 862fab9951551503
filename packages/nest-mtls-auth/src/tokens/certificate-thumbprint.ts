/**
 * The `x5t#S256` confirmation of a certificate (RFC 8705 section 3.1): the base64url SHA-256 of
 * its DER, from the SHA-256 fingerprint Node prints (`AB:CD:...`, the same digest in hex), so
 * nothing is hashed again per request.
 *
 * @example x5tS256('AB:CD:...') // 'q80...'
 */
export function x5tS256(fingerprint256: string): string {
  return Buffer.from(fingerprint256.replaceAll(':', ''), 'hex').toString('base64url');
}

/**
 * The certificate an `x5t#S256` confirmation names, as Node prints a SHA-256 fingerprint
 * (`AB:CD:...`), so a token's binding is compared with a request's certificate as two strings;
 * `undefined` unless `x5t` is exactly the canonical encoding of a SHA-256 digest.
 */
export function fingerprintOfX5t(x5t: string): string | undefined {
  const digest = Buffer.from(x5t, 'base64url');
  if (digest.length !== 32) return undefined;
  const fingerprint256 = [...digest].map((b) => b.toString(16).padStart(2, '0')).join(':');
  const upper = fingerprint256.toUpperCase();
  return x5tS256(upper) === x5t ? upper : undefined;
}
