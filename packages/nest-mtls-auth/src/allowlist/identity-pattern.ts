import { asciiLower, isAscii } from '../x509/ascii-case.js';
import { MATCH_KEYS, type CertificateIdentity } from '../x509/client-identity.js';
import { dnMatchKey, parseDistinguishedName } from '../x509/distinguished-name.js';
import { SPIFFE_SCHEME_PREFIX, spiffeIdProblem } from '../x509/spiffe-id.js';

/** A compiled identity pattern: `true` when the identity is the one the pattern names. */
export type IdentityMatcher = (identity: CertificateIdentity) => boolean;

const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** Printable ASCII: a name or URI pattern has no space, no control character, nothing else. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const NAME = /^[^,*]+$/;
const ASCII_SPACE_AROUND = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;

/**
 * Compiles one identity pattern, once, at start-up:
 * - `billing-service`: the CN or a DNS SAN, exactly, ASCII-case-insensitive;
 * - `*.internal.production`: a CN or DNS SAN with exactly one (non-wildcard) label in front;
 * - `spiffe://example.org/ns/prod/sa/billing`: the certificate's SPIFFE ID, exactly;
 * - `spiffe://example.org/ns/prod/*`: a SPIFFE ID strictly under that path (`.../prod/x`, never
 *   `.../production`); `spiffe://example.org/*`: any workload of the trust domain;
 * - `https://example.org/a` (any other scheme): a URI SAN, exactly, byte for byte;
 * - `dn:CN=client,OU=production,O=company`: the whole subject DN, same attribute=value pairs in
 *   any order (types ASCII-case-insensitive, values exact, any Unicode).
 *
 * Name, wildcard and URI patterns are printable ASCII: a non-ASCII pattern is refused, and an
 * internationalized domain name is written in its A-label form (`xn--...`). Case is folded for
 * ASCII letters only, so a CN or DNS SAN with any non-ASCII character (U+212A KELVIN SIGN in
 * `Kafka-service`, a Cyrillic `а`) never matches. `spiffe://` patterns follow the SPIFFE ID rules
 * ({@link spiffeIdProblem}) and match only the certificate's `spiffeId`: the one URI SAN of an
 * X.509-SVID, never a URI SAN of a certificate with several. `spiffe://td` alone (the trust
 * domain's own ID, which no workload carries) is refused: write `spiffe://td/*`.
 *
 * A certificate whose subject has several CN attributes never matches by CN.
 *
 * @throws {Error} naming the pattern and what is wrong with it.
 * @example compileIdentityPattern('*.internal.production')(identity)
 * @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md
 */
export function compileIdentityPattern(pattern: string): IdentityMatcher {
  // ASCII white space only: a pattern padded with U+00A0 is refused as non-ASCII, not trimmed.
  const p = pattern.replace(ASCII_SPACE_AROUND, '');
  if (p.length === 0) throw new Error('an identity pattern is empty');
  if (/^dn:/i.test(p)) {
    const attributes = parseDistinguishedName(p.slice(3));
    if (attributes.length === 0) throw new Error(`"${pattern}" names no DN attributes`);
    const key = dnMatchKey(attributes);
    return (identity) => identity[MATCH_KEYS].dnKey === key;
  }
  if (!PRINTABLE_ASCII.test(p)) throw new Error(notPrintableAscii(pattern, p));
  if (/^spiffe:/i.test(p)) return compileSpiffePattern(pattern, p);
  if (p.includes('://')) {
    if (p.includes('*')) {
      throw new Error(
        `"${pattern}": a URI pattern other than spiffe:// has no wildcard; it matches a URI SAN exactly`,
      );
    }
    return (identity) => identity[MATCH_KEYS].uris.includes(p);
  }
  const lower = asciiLower(p);
  if (lower.startsWith('*.')) {
    const suffix = lower.slice(1);
    if (!NAME.test(suffix.slice(1)) || suffix.length < 2) {
      throw new Error(
        `"${pattern}": a wildcard must be the whole leftmost label, as in "*.internal.example"`,
      );
    }
    const matches = (name: string): boolean =>
      name.endsWith(suffix) && DNS_LABEL.test(name.slice(0, -suffix.length));
    return (identity) => {
      const keys = identity[MATCH_KEYS];
      return (keys.commonName !== null && matches(keys.commonName)) || keys.dnsNames.some(matches);
    };
  }
  if (!NAME.test(lower)) {
    throw new Error(
      `"${pattern}" is not an identity pattern: use a name, "*.domain", a URI, or "dn:CN=...,O=..."`,
    );
  }
  return (identity) => {
    const keys = identity[MATCH_KEYS];
    return keys.commonName === lower || keys.dnsNames.includes(lower);
  };
}

/**
 * `true` when `name` (a CN, say) can be written as a name pattern that matches just that name:
 * printable ASCII, no `,`, no `*`. Used to suggest a pattern for a certificate.
 */
export function isNamePattern(name: string): boolean {
  return (
    PRINTABLE_ASCII.test(name) &&
    NAME.test(name) &&
    !name.includes('://') &&
    !/^(?:dn|spiffe):/i.test(name)
  );
}

/** `spiffe://td/path` (that SPIFFE ID) or `spiffe://td/path/*` (IDs strictly under it). */
function compileSpiffePattern(pattern: string, p: string): IdentityMatcher {
  const wildcard = p.endsWith('/*');
  const id = wildcard ? p.slice(0, -2) : p;
  if (id.includes('*')) throw new Error(`"${pattern}": only a trailing "/*" may be a wildcard`);
  const problem = spiffeIdProblem(id, wildcard);
  if (problem !== undefined) {
    const fix =
      problem.startsWith('names a trust domain') && id.startsWith(SPIFFE_SCHEME_PREFIX)
        ? `; write "${id}/*" for any workload of that trust domain`
        : '';
    throw new Error(`"${pattern}" is not a SPIFFE ID pattern: ${id} ${problem}${fix}`);
  }
  if (!wildcard) return (identity) => identity.spiffeId === id;
  // The slash is the segment boundary: ns/prod/* matches ns/prod/x, never ns/production.
  const prefix = `${id}/`;
  return (identity) => identity.spiffeId !== null && identity.spiffeId.startsWith(prefix);
}

function notPrintableAscii(pattern: string, p: string): string {
  for (const ch of p) {
    const c = ch.codePointAt(0) as number;
    if (c > 0x7e || c <= 0x20) {
      const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      return isAscii(ch)
        ? `"${pattern}" has a space or control character (${hex}): an identity pattern is printable ASCII`
        : `"${pattern}" has a non-ASCII character (${hex}): name and URI patterns are ASCII, compared ASCII-case-insensitively; write an internationalized domain name in its A-label form (xn--...)`;
    }
  }
  return `"${pattern}" is not printable ASCII`;
}

/**
 * Compiles a list of patterns into one matcher that accepts an identity matching any of them.
 * An empty list yields `undefined`: "no restriction", which callers must treat differently from
 * "matches nothing".
 */
export function compileIdentityPatterns(patterns: readonly string[]): IdentityMatcher | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map(compileIdentityPattern);
  if (matchers.length === 1) return matchers[0];
  return (identity) => matchers.some((m) => m(identity));
}
