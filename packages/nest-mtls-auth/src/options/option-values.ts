import { isIP } from 'node:net';
import { asciiLower } from '../x509/ascii-case.js';
import {
  coveredAddresses,
  effectiveRanges,
  MAX_TRUSTED_IPV4,
  MAX_TRUSTED_IPV6,
  parseRange,
} from './address-ranges.js';

/**
 * Checks of single option values: each returns the value (normalized) or throws an Error that
 * says what is wrong, for `resolveMtlsAuthOptions` to file under the option's name.
 */

/** RFC 9110 token, lower case. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * The trusted-proxy list: addresses or CIDR ranges that together cover at most a /8 of IPv4 and a
 * /32 of IPv6 (overlaps counted once). IPv4-mapped IPv6 (`::ffff:a.b.c.d/n`) counts as the IPv4
 * range it stands for, since IPv4 peers are matched as IPv4: `::ffff:0:0/96` is all of IPv4, and
 * `0.0.0.0/1,128.0.0.0/1` is too, however it is split.
 */
export function proxies(values: readonly string[]): readonly string[] {
  for (const value of list(values, 'addresses or CIDR ranges')) {
    if (!isCidr(value)) {
      throw new Error(
        `"${value}" is not an IP address or CIDR range (10.0.0.0/8, 127.0.0.1, fd00::/8)`,
      );
    }
    if (value.split('/')[1] !== undefined && Number(value.split('/')[1]) === 0) {
      throw new Error(
        `"${value}" trusts every peer on the network to forward any certificate it likes: list only the proxies`,
      );
    }
  }
  const given = values.map(parseRange);
  const ranges = effectiveRanges(given);
  for (const [family, limit, max] of [
    [4, '/8', MAX_TRUSTED_IPV4],
    [6, '/32', MAX_TRUSTED_IPV6],
  ] as const) {
    const count = coveredAddresses(ranges, family);
    if (count <= max) continue;
    const mapped =
      family === 4 &&
      ranges.filter((r) => r.family === 4).length > given.filter((r) => r.family === 4).length;
    throw new Error(
      `together they trust ${powerOfTwo(count)} IPv${family} addresses${mapped ? ' (IPv4-mapped ::ffff:a.b.c.d counted as IPv4)' : ''}, more than a ${limit} (${powerOfTwo(max)}): every peer in them could forward any certificate it likes; list only the proxies' addresses`,
    );
  }
  return [...values];
}

/** `2^n` when the count is a power of two (what CIDR ranges add up to), else the number. */
function powerOfTwo(count: bigint): string {
  const exponent = count.toString(2).length - 1;
  return count === 1n << BigInt(exponent) ? `2^${exponent}` : count.toLocaleString('en-US');
}

/** `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`. */
function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export function list(values: readonly string[], what: string): readonly string[] {
  const items: unknown = values;
  if (!Array.isArray(items) || items.some((v) => typeof v !== 'string')) {
    throw new Error(`must be an array of ${what} (strings)`);
  }
  return values;
}

export function headerName(value: string): string {
  const text: unknown = value;
  const name = typeof text === 'string' ? asciiLower(text.trim()) : '';
  if (!HEADER_NAME.test(name)) {
    throw new Error(`${JSON.stringify(value)} is not an HTTP header name (e.g. x-ssl-client-cert)`);
  }
  return name;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function wholeNumber(value: number, min: number, max: number): number {
  const number: unknown = value;
  if (typeof number !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${String(value)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${JSON.stringify(value)} is not a URL (e.g. http://ocsp.example.internal)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${JSON.stringify(value)} is not an http(s) URL`);
  }
  return value;
}

/**
 * The words a proxy's verdict header says on success: at least one, each a non-empty run of
 * visible ASCII without a comma (`SUCCESS`, `0`, `true`).
 */
export function verdictWords(values: readonly string[]): readonly string[] {
  list(values, 'verdict words');
  if (values.length === 0) {
    throw new Error(
      'must name at least one word the verdict header says on success (e.g. SUCCESS)',
    );
  }
  for (const value of values) {
    if (!/^[!-+\--~]+$/.test(value)) {
      throw new Error(
        `${JSON.stringify(value)} is not a verdict word (visible ASCII, no space or comma, e.g. SUCCESS)`,
      );
    }
  }
  return [...values];
}
