import { asciiLower } from './ascii-case.js';

/** Every SPIFFE ID starts with this, in lower case. */
export const SPIFFE_SCHEME_PREFIX = 'spiffe://';

/** The longest SPIFFE ID accepted, in bytes (SPIFFE-ID section 2.3). */
export const MAX_SPIFFE_ID_BYTES = 2048;

/** The longest trust domain name accepted, in bytes (SPIFFE-ID section 2.3, RFC 3986's host). */
export const MAX_TRUST_DOMAIN_BYTES = 255;

const SLASH = 0x2f;
const DOT = 0x2e;

/** `[a-z0-9.-_]`: what a trust domain name is made of (SPIFFE-ID section 2.1). */
function isTrustDomainChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === DOT || c === 0x2d || c === 0x5f
  );
}

/** `[a-zA-Z0-9.-_]`: what a path segment is made of (SPIFFE-ID section 2.2). */
function isPathChar(c: number): boolean {
  return isTrustDomainChar(c) || (c >= 0x41 && c <= 0x5a);
}

/** What an unexpected character means, for the message that names it. */
function characterProblem(c: number, where: 'trust domain' | 'path'): string {
  switch (c) {
    case 0x25:
      return 'has percent-encoding ("%"), which SPIFFE IDs never use';
    case 0x3f:
      return 'has a query ("?")';
    case 0x23:
      return 'has a fragment ("#")';
    case 0x2a:
      return 'has a "*" (only a trailing "/*" of a pattern is a wildcard)';
  }
  if (where === 'trust domain') {
    if (c === 0x3a) return 'has a port (":") in its trust domain';
    if (c === 0x40) return 'has userinfo ("@") in its trust domain';
    if (c >= 0x41 && c <= 0x5a) return 'has an upper-case trust domain (write it in lower case)';
    return `has ${describe(c)} in its trust domain, which allows only a-z, 0-9, ".", "-" and "_"`;
  }
  return `has ${describe(c)} in its path, whose segments allow only a-z, A-Z, 0-9, ".", "-" and "_"`;
}

function describe(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c > 0x20 && c < 0x7f ? `"${String.fromCharCode(c)}" (${hex})` : hex;
}

/**
 * Why `text` is not a SPIFFE ID, or `undefined` when it is one, by the SPIFFE ID specification:
 * the scheme `spiffe` in lower case; a non-empty trust domain of `a-z 0-9 . - _` (so no port, no
 * userinfo, no percent-encoding), at most 255 bytes; path segments of `a-z A-Z 0-9 . - _`, none
 * empty, `.` or `..`, no trailing `/`; no query, no fragment; at most 2,048 bytes in all.
 *
 * `spiffe://td` (no path) is the trust domain's own ID. A workload's X.509-SVID never carries it
 * (X509-SVID sections 3.1 and 5.2: a leaf's SPIFFE ID has a non-root path), so it is refused
 * unless `trustDomainAlone` says it may stand alone (a pattern's prefix: `spiffe://td/*`).
 *
 * One pass over the characters, no regular expression: it runs on a new caller's first request.
 *
 * @example spiffeIdProblem('spiffe://example.org/ns/prod/sa/billing') // undefined
 * @example spiffeIdProblem('spiffe://example.org/ns/prod/../admin') // 'has a ".." path segment'
 * @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md
 */
export function spiffeIdProblem(text: string, trustDomainAlone = false): string | undefined {
  // Every allowed character is ASCII, so a valid ID has as many bytes as UTF-16 code units.
  if (text.length > MAX_SPIFFE_ID_BYTES) return 'is longer than 2,048 bytes';
  if (!text.startsWith(SPIFFE_SCHEME_PREFIX)) {
    return asciiLower(text.slice(0, SPIFFE_SCHEME_PREFIX.length)) === SPIFFE_SCHEME_PREFIX
      ? 'has an upper-case scheme (write spiffe:// in lower case)'
      : 'does not start with spiffe://';
  }
  const start = SPIFFE_SCHEME_PREFIX.length;
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === SLASH) break;
    if (!isTrustDomainChar(c)) return characterProblem(c, 'trust domain');
  }
  if (i === start) return 'has an empty trust domain';
  if (i - start > MAX_TRUST_DOMAIN_BYTES) return 'has a trust domain longer than 255 bytes';
  if (i === text.length) {
    return trustDomainAlone
      ? undefined
      : 'names a trust domain, not a workload (a workload ID has a path: spiffe://td/path)';
  }
  let segment = i + 1;
  for (let j = segment; j <= text.length; j++) {
    const c = j === text.length ? SLASH : text.charCodeAt(j);
    if (c !== SLASH) {
      if (!isPathChar(c)) return characterProblem(c, 'path');
      continue;
    }
    const length = j - segment;
    if (length === 0) return j === text.length ? 'ends with "/"' : 'has an empty path segment';
    if (text.charCodeAt(segment) === DOT) {
      if (length === 1) return 'has a "." path segment';
      if (length === 2 && text.charCodeAt(segment + 1) === DOT) return 'has a ".." path segment';
    }
    segment = j + 1;
  }
  return undefined;
}

/**
 * `true` when `text` is a SPIFFE ID a workload's X.509-SVID may carry: valid by
 * {@link spiffeIdProblem}, with a path.
 */
export function isSpiffeId(text: string): boolean {
  return spiffeIdProblem(text) === undefined;
}

/**
 * The SPIFFE ID of a certificate with these URI SANs: its one URI SAN when that is a valid
 * workload SPIFFE ID, else `null`. An X.509-SVID has exactly one URI SAN; a certificate with two
 * (of any scheme) is not one, and names no SPIFFE ID, whichever of its URIs looks like one.
 *
 * @see https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md (sections 2 and 5.2)
 */
export function spiffeIdOf(uris: readonly string[]): string | null {
  if (uris.length !== 1) return null;
  const uri = uris[0] as string;
  return isSpiffeId(uri) ? uri : null;
}

/**
 * The trust domain a SPIFFE ID names: what lies between `spiffe://` and the first `/`.
 *
 * @example trustDomainOf('spiffe://example.org/ns/prod/sa/billing') // 'example.org'
 */
export function trustDomainOf(spiffeId: string): string {
  const end = spiffeId.indexOf('/', SPIFFE_SCHEME_PREFIX.length);
  return spiffeId.slice(SPIFFE_SCHEME_PREFIX.length, end < 0 ? undefined : end);
}

/**
 * Why `name` is not a trust domain name (SPIFFE-ID section 2.1), or `undefined` when it is one.
 *
 * @example trustDomainProblem('example.org') // undefined
 */
export function trustDomainProblem(name: string): string | undefined {
  if (name.includes('/')) return 'is not a bare trust domain name (no scheme, no path)';
  return spiffeIdProblem(`${SPIFFE_SCHEME_PREFIX}${name}`, true);
}
