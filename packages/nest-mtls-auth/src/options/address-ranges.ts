import { isIP } from 'node:net';

/**
 * IP address ranges as the trusted-proxy list gives them (`10.0.0.0/8`, `127.0.0.1`, `fd00::/8`,
 * `::ffff:10.0.0.0/104`): parsed into integer intervals, IPv4-mapped IPv6 (`::ffff:0:0/96`) read
 * as the IPv4 it stands for, and how many addresses a list covers in all. Pure logic: the option
 * check and the proxy matcher share it.
 */

/** One range, as a closed interval of integers in its family's address space. */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** The most addresses a trusted-proxy list may cover: a /8 of IPv4. */
export const MAX_TRUSTED_IPV4 = 1n << 24n;
/** The most addresses a trusted-proxy list may cover: a /32 of IPv6. */
export const MAX_TRUSTED_IPV6 = 1n << 96n;

/** `::ffff:0:0/96`: a dual-stack socket reports an IPv4 peer a.b.c.d as `::ffff:a.b.c.d`. */
const MAPPED_FIRST = 0xffffn << 32n;
const MAPPED_LAST = MAPPED_FIRST | 0xffff_ffffn;

/**
 * The interval of an address or CIDR range, already known to be valid (`isIP` accepts its address,
 * its prefix fits the family). Host bits below the prefix are ignored, as `BlockList` does.
 */
export function parseRange(cidr: string): AddressRange {
  const [address = '', bits] = cidr.split('/');
  const family = isIP(address) === 4 ? 4 : 6;
  const width = family === 4 ? 32n : 128n;
  const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
  const prefix = bits === undefined ? width : BigInt(bits);
  const hostMask = (1n << (width - prefix)) - 1n;
  const first = value & ~hostMask & ((1n << width) - 1n);
  return { family, first, last: first | hostMask };
}

/**
 * The ranges as they apply to peers: the part of an IPv6 range inside `::ffff:0:0/96` becomes the
 * IPv4 range it maps (a whole IPv6 range around that block: all of IPv4), the rest stays IPv6.
 * IPv4 peers are matched as IPv4 ({@link normalizePeerAddress}), so a mapped range must be too.
 */
export function effectiveRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  for (const range of ranges) {
    if (range.family === 4) {
      out.push(range);
      continue;
    }
    const first = range.first > MAPPED_FIRST ? range.first : MAPPED_FIRST;
    const last = range.last < MAPPED_LAST ? range.last : MAPPED_LAST;
    if (first > last) {
      out.push(range);
      continue;
    }
    out.push({ family: 4, first: first - MAPPED_FIRST, last: last - MAPPED_FIRST });
    // CIDR blocks nest or are apart: what is left of a range around the mapped block is the
    // addresses either side of it.
    if (range.first < MAPPED_FIRST) out.push({ ...range, last: MAPPED_FIRST - 1n });
    if (range.last > MAPPED_LAST) out.push({ ...range, first: MAPPED_LAST + 1n });
  }
  return out;
}

/** How many addresses of `family` the ranges cover together (overlaps counted once). */
export function coveredAddresses(ranges: readonly AddressRange[], family: 4 | 6): bigint {
  const sorted = ranges
    .filter((r) => r.family === family)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let total = 0n;
  let start = -1n;
  let end = -2n;
  for (const { first, last } of sorted) {
    if (first > end + 1n) {
      if (end >= start && start >= 0n) total += end - start + 1n;
      start = first;
      end = last;
    } else if (last > end) {
      end = last;
    }
  }
  if (start >= 0n) total += end - start + 1n;
  return total;
}

/**
 * A peer address as the ranges are matched: `::ffff:a.b.c.d` (any spelling of IPv4-mapped IPv6)
 * as the IPv4 address `a.b.c.d`; anything else as it is. `undefined` for no or an invalid address.
 */
export function normalizePeerAddress(
  address: string | undefined,
): { readonly address: string; readonly family: 'ipv4' | 'ipv6' } | undefined {
  if (!address) return undefined;
  const family = isIP(address);
  if (family === 4) return { address, family: 'ipv4' };
  if (family !== 6) return undefined;
  const value = ipv6Value(address);
  if (value < MAPPED_FIRST || value > MAPPED_LAST) return { address, family: 'ipv6' };
  const v4 = Number(value - MAPPED_FIRST);
  return {
    address: [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.'),
    family: 'ipv4',
  };
}

/** The address of an interval's first address, for messages and `BlockList`. */
export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    const v = Number(value);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(((value >> shift) & 0xffffn).toString(16));
  }
  return groups.join(':');
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** An IPv6 address (validated by `isIP`; a zone after `%` ignored) as a 128-bit integer. */
function ipv6Value(text: string): bigint {
  let address = text.split('%')[0] ?? '';
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 (::ffff:1.2.3.4) is the last two groups.
    const v4 = ipv4Value(tail);
    address = `${address.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = address.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups =
    rest === undefined
      ? before
      : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
