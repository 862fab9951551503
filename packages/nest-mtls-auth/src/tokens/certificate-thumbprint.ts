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
