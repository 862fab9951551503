import { asciiLower } from '../x509/ascii-case.js';
import type { ForwardedCaller } from '../x509/client-identity.js';

/**
 * Envoy's `x-forwarded-client-cert` (XFCC) header: a comma-separated list of elements, one per
 * proxy hop, each a semicolon-separated list of `Key=value` pairs; values may be double-quoted,
 * with `\"` and `\\` escapes. Keys: `By`, `Hash`, `Cert`, `Chain`, `Subject`, `URI`, `DNS`.
 * The last element is the one the nearest proxy added.
 *
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#x-forwarded-client-cert
 */
export type XfccElement = ReadonlyArray<readonly [key: string, value: string]>;

/** The header in which trusted forwarders name the callers they act for (Envoy's XFCC). */
export const XFCC_HEADER = 'x-forwarded-client-cert';

/** Most elements and pairs one header may hold: a longer header is refused, not parsed. */
const MAX_ELEMENTS = 16;
const MAX_PAIRS = 64;

/**
 * Parses an XFCC header into its elements.
 *
 * @throws {Error} on unbalanced quotes, a pair without `=`, or more than 16 elements.
 */
export function parseXfcc(header: string): XfccElement[] {
  const elements: XfccElement[] = [];
  let pairs: [string, string][] = [];
  let i = 0;
  const n = header.length;
  while (i < n) {
    while (i < n && header[i] === ' ') i++;
    const eq = header.indexOf('=', i);
    if (eq < 0) throw new Error('XFCC pair without "="');
    const key = header.slice(i, eq).trim();
    if (!/^[A-Za-z]+$/.test(key)) throw new Error(`XFCC key "${key.slice(0, 20)}" is not a word`);
    i = eq + 1;
    let value = '';
    if (header[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = header[i] as string;
        if (c === '\\' && i + 1 < n) {
          value += header[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw new Error('XFCC value with an unterminated quote');
    } else {
      const end = nextSeparator(header, i);
      value = header.slice(i, end).trim();
      i = end;
    }
    pairs.push([key, value]);
    if (pairs.length > MAX_PAIRS) throw new Error('XFCC element with too many pairs');
    while (i < n && header[i] === ' ') i++;
    if (i >= n) break;
    if (header[i] === ',') {
      elements.push(pairs);
      pairs = [];
      if (elements.length >= MAX_ELEMENTS) throw new Error('XFCC header with too many elements');
    } else if (header[i] !== ';') {
      throw new Error('XFCC text after a quoted value');
    }
    i++;
  }
  if (pairs.length > 0) elements.push(pairs);
  return elements;
}

function nextSeparator(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (s[i] === ';' || s[i] === ',') return i;
  return s.length;
}

/** Serialises elements, quoting every value that needs it. Round-trips with {@link parseXfcc}. */
export function formatXfcc(elements: readonly XfccElement[]): string {
  return elements
    .map((pairs) =>
      pairs
        .map(([k, v]) => `${k}=${/[",;=\\\s]/.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : v}`)
        .join(';'),
    )
    .join(',');
}

/** The first value of `key` in an element (keys compared case-insensitively). */
export function xfccValue(element: XfccElement, key: string): string | undefined {
  const k = asciiLower(key);
  return element.find(([name]) => asciiLower(name) === k)?.[1];
}

/**
 * The XFCC element a service adds for the caller it acts for: `By` (this service), `Hash` (SHA-256
 * of the caller's certificate, hex), `Subject`, and the caller's `URI` and `DNS` SANs.
 */
/**
 * The XFCC element of a caller named in an earlier hop's header (`ForwardedCaller`), as it was
 * received: what a service passes on for the hops before it.
 */
export function xfccElementOf(caller: ForwardedCaller): XfccElement {
  return [
    ...(caller.by ? [['By', caller.by] as const] : []),
    ...(caller.hash ? [['Hash', caller.hash] as const] : []),
    ...(caller.subject ? [['Subject', caller.subject] as const] : []),
    ...caller.uris.map((u) => ['URI', u] as const),
    ...caller.dnsNames.map((d) => ['DNS', d] as const),
  ];
}

export function xfccElementFor(
  caller: {
    readonly fingerprint256: string;
    readonly subject: string;
    readonly uris: readonly string[];
    readonly dnsNames: readonly string[];
  },
  by: string,
): XfccElement {
  return [
    ['By', by],
    ['Hash', caller.fingerprint256.replaceAll(':', '').toLowerCase()],
    ['Subject', caller.subject],
    ...caller.uris.map((u) => ['URI', u] as const),
    ...caller.dnsNames.map((d) => ['DNS', d] as const),
  ];
}
