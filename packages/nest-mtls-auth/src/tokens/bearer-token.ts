/** Longest bearer token read: a JWT access token is 1-2 KB; anything far longer is refused. */
export const MAX_BEARER_TOKEN_LENGTH = 16_384;

/** RFC 6750 section 2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1; the scheme is
 * case-insensitive): `undefined` when there is no such header, `null` when there is one that is
 * not a well-formed bearer token (another scheme, several values, too long, bad characters).
 */
export function bearerToken(header: string | string[] | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string') return null;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') return null;
  const token = header.slice(space + 1).trim();
  if (token.length === 0 || token.length > MAX_BEARER_TOKEN_LENGTH || !B64TOKEN.test(token)) {
    return null;
  }
  return token;
}
