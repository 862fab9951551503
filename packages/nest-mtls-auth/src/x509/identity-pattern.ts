import { MATCH_KEYS, type CertificateIdentity } from './client-identity.js';
import { dnMatchKey, parseDistinguishedName } from './distinguished-name.js';

/** A compiled identity pattern: `true` when the identity is the one the pattern names. */
export type IdentityMatcher = (identity: CertificateIdentity) => boolean;

const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const NAME = /^[^\s,*]+$/;

/**
 * Compiles one identity pattern, once, at start-up:
 * - `billing-service`: the CN or a DNS SAN, exactly, case-insensitive;
 * - `*.internal.production`: a CN or DNS SAN with exactly one (non-wildcard) label in front;
 * - `spiffe://example.org/ns/prod/sa/billing`: a URI SAN, exactly;
 * - `spiffe://example.org/ns/prod/*`: any URI SAN under that path;
 * - `dn:CN=client,OU=production,O=company`: the whole subject DN, same attribute=value pairs in
 *   any order (types case-insensitive, values exact).
 *
 * A certificate whose subject has several CN attributes never matches by CN.
 *
 * @throws {Error} naming the pattern and what is wrong with it.
 * @example compileIdentityPattern('*.internal.production')(identity)
 */
export function compileIdentityPattern(pattern: string): IdentityMatcher {
  const p = pattern.trim();
  if (p.length === 0) throw new Error('an identity pattern is empty');
  if (/^dn:/i.test(p)) {
    const attributes = parseDistinguishedName(p.slice(3));
    if (attributes.length === 0) throw new Error(`"${pattern}" names no DN attributes`);
    const key = dnMatchKey(attributes);
    return (identity) => identity[MATCH_KEYS].dnKey === key;
  }
  if (p.includes('://')) {
    if (p.endsWith('/*')) {
      const prefix = p.slice(0, -1);
      if (prefix.includes('*'))
        throw new Error(`"${pattern}": only a trailing "/*" may be a wildcard`);
      return (identity) =>
        identity[MATCH_KEYS].uris.some((u) => u.length > prefix.length && u.startsWith(prefix));
    }
    if (p.includes('*')) throw new Error(`"${pattern}": only a trailing "/*" may be a wildcard`);
    return (identity) => identity[MATCH_KEYS].uris.includes(p);
  }
  const lower = p.toLowerCase();
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
