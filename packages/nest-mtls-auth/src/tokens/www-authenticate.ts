/**
 * The `WWW-Authenticate` challenge of a refused bearer token (RFC 6750 section 3): without
 * `error` when the request carried no token (section 3.1 says not to name one then), else
 * `invalid_token` with a description.
 *
 * @example bearerChallenge('orders') // 'Bearer realm="orders"'
 */
export function bearerChallenge(realm: string, description?: string): string {
  const params = [`realm="${quote(realm)}"`];
  if (description !== undefined) {
    params.push('error="invalid_token"', `error_description="${quote(description)}"`);
  }
  return `Bearer ${params.join(', ')}`;
}

/** A quoted-string's content: printable ASCII, with `"` and `\` escaped. */
function quote(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&');
}
