import type { Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoarseClock } from '../../src/records/coarse-clock.js';
import { checkMtlsAuthSettings, MtlsAuthOptionsError } from '../../src/index.js';
import {
  coveredAddresses,
  normalizePeerAddress,
  parseRange,
  type AddressRange,
} from '../../src/options/address-ranges.js';
import { TrustedProxies } from '../../src/forwarded/trusted-proxies.js';

/** The problem `checkMtlsAuthSettings` files under trustedProxies, or `undefined` when it starts. */
function proxyProblem(trustedProxies: readonly string[]): string | undefined {
  try {
    checkMtlsAuthSettings({ trustedProxies });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(MtlsAuthOptionsError);
    const problems = (error as MtlsAuthOptionsError).problems;
    expect(problems.map((p) => p.option)).toEqual(['trustedProxies']);
    return problems[0]?.message;
  }
}

const ipv4 = (value: number) =>
  [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');

/** An IPv4 CIDR, written as IPv4 or as IPv4-mapped IPv6 (::ffff:a.b.c.d/(n+96)). */
const spell = (first: number, prefix: number, mapped: boolean) =>
  mapped ? `::ffff:${ipv4(first)}/${prefix + 96}` : `${ipv4(first)}/${prefix}`;

/** A CIDR block as [first address, prefix]; split in two halves by {@link split}. */
type Block = readonly [first: bigint, prefix: number];

/** Replaces block `at` by its two halves, as many times as `picks` says (prefixes up to `width`). */
function split(blocks: Block[], picks: readonly number[], width: number): Block[] {
  const out = [...blocks];
  for (const pick of picks) {
    const at = pick % out.length;
    const [first, prefix] = out[at] as Block;
    if (prefix >= width) continue;
    const half = 1n << BigInt(width - prefix - 1);
    out.splice(at, 1, [first, prefix + 1], [first + half, prefix + 1]);
  }
  return out;
}

const ipv6 = (value: bigint) => {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
};

describe('trusted proxy ranges: together at most a /8 of IPv4 and a /32 of IPv6', () => {
  it.each([
    ['all of IPv4 as IPv4-mapped IPv6', ['::ffff:0:0/96'], 'IPv4'],
    ['all of IPv4 in two halves', ['0.0.0.0/1', '128.0.0.0/1'], 'IPv4'],
    ['all of IPv6 in two halves', ['::/1', '8000::/1'], 'IPv4'],
    ['two /8s', ['10.0.0.0/8', '11.0.0.0/8'], 'IPv4'],
    ['a /8 and one more address', ['10.0.0.0/8', '127.0.0.1'], 'IPv4'],
    ['a /7 written as IPv4-mapped', ['::ffff:10.0.0.0/103'], 'IPv4'],
    ['a /8 and a mapped /8 elsewhere', ['10.0.0.0/8', '::ffff:192.0.0.0/104'], 'IPv4'],
    ['an IPv6 /64 around the IPv4-mapped block', ['::/64'], 'IPv4'],
    ['an IPv6 /31', ['2001:db8::/31'], 'IPv6'],
    ['two IPv6 /32s', ['2001:db8::/32', '2001:db9::/32'], 'IPv6'],
    ['an IPv6 /32 and one more address', ['2001:db8::/32', 'fd00::1'], 'IPv6'],
  ])('refuses %s', (_name, cidrs, family) => {
    const message = proxyProblem(cidrs);
    expect(message).toMatch(new RegExp(`trust [\\d^,]+ ${family} addresses`));
    expect(message).toContain("list only the proxies' addresses");
  });

  it('says when IPv4-mapped ranges were counted as IPv4', () => {
    expect(proxyProblem(['::ffff:0:0/96'])).toContain(
      'trust 2^32 IPv4 addresses (IPv4-mapped ::ffff:a.b.c.d counted as IPv4), more than a /8 (2^24)',
    );
  });

  it.each([
    ['a /8', ['10.0.0.0/8']],
    ['a /8 and ranges inside it', ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3']],
    ['a /8 also written as IPv4-mapped', ['10.0.0.0/8', '::ffff:10.0.0.0/104']],
    ['two halves of a /8', ['10.0.0.0/9', '10.128.0.0/9']],
    ['loopback, both families', ['127.0.0.1/32', '::1']],
    ['an IPv6 /32 beside a /8 of IPv4', ['2001:db8::/32', '10.0.0.0/8']],
    ['half an IPv6 /32 and another address', ['2001:db8::/33', 'fd00::1']],
    ['the IPv4-compatible ::/96, which no IPv4 peer is reported as', ['::/96']],
  ])('takes %s', (_name, cidrs) => {
    expect(proxyProblem(cidrs)).toBeUndefined();
  });

  it('refuses any split of a range wider than a /8, however spelled and ordered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (prefix, base, picks, mapped, duplicates) => {
          const first = BigInt(base) & ~((1n << BigInt(32 - prefix)) - 1n) & 0xffff_ffffn;
          const blocks = split([[first, prefix]], picks, 32);
          for (const d of duplicates) blocks.push(blocks[d % blocks.length] as Block);
          const cidrs = blocks.map(([f, p], i) => spell(Number(f), p, mapped[i % 64] === true));
          expect(proxyProblem(cidrs.reverse())).toMatch(/IPv4 addresses/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses any split of an IPv6 range wider than a /32', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }),
        fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (prefix, base, picks) => {
          const first = base & ~((1n << BigInt(128 - prefix)) - 1n);
          const cidrs = split([[first, prefix]], picks, 128).map(([f, p]) => `${ipv6(f)}/${p}`);
          expect(proxyProblem(cidrs)).toMatch(/IPv(4|6) addresses/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes any list whose ranges together cover at most a /8 of IPv4 and a /32 of IPv6', () => {
    fc.assert(
      fc.property(
        // Up to 16 IPv4 ranges of at most a /12 anywhere: at most 16 * 2^20 = 2^24 in all.
        fc.array(
          fc.record({
            base: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
            prefix: fc.integer({ min: 12, max: 32 }),
            mapped: fc.boolean(),
          }),
          { maxLength: 16 },
        ),
        // Pieces of one /8 (split, some dropped, some repeated), as IPv4 or IPv4-mapped.
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        // Pieces of one IPv6 /32 outside the mapped block.
        fc.array(
          fc.record({
            offset: fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }),
            prefix: fc.integer({ min: 32, max: 128 }),
          }),
          { maxLength: 8 },
        ),
        (small, octet, picks, keep, v6) => {
          const scattered = small.map(({ base, prefix, mapped }) => {
            const first = Number(BigInt(base) & ~((1n << BigInt(32 - prefix)) - 1n) & 0xffff_ffffn);
            return spell(first, prefix, mapped);
          });
          const pieces = split([[BigInt(octet) << 24n, 8]], picks, 32)
            .filter((_, i) => keep[i % 64] === true)
            .map(([f, p], i) => spell(Number(f), p, keep[(i + 7) % 64] === true));
          const inDocumentation = v6.map(({ offset, prefix }) => {
            const first = ((0x2001_0db8n << 96n) | offset) & ~((1n << BigInt(128 - prefix)) - 1n);
            return `${ipv6(first)}/${prefix}`;
          });
          // Either the scattered ranges or the pieces of a /8: each set alone is within the limit.
          expect(proxyProblem([...scattered, ...inDocumentation])).toBeUndefined();
          expect(
            proxyProblem([...pieces, ...pieces.slice(0, 3), ...inDocumentation]),
          ).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts overlapping ranges once (checked against counting every address)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 })), { maxLength: 12 }),
        (pairs) => {
          const ranges: AddressRange[] = pairs.map(([a, b]) => ({
            family: 4,
            first: BigInt(Math.min(a, b)),
            last: BigInt(Math.max(a, b)),
          }));
          const every = new Set<number>();
          for (const [a, b] of pairs)
            for (let v = Math.min(a, b); v <= Math.max(a, b); v++) every.add(v);
          expect(coveredAddresses(ranges, 4)).toBe(BigInt(every.size));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads addresses and ranges in every spelling', () => {
    expect(parseRange('10.1.2.3/8')).toEqual({
      family: 4,
      first: 0x0a00_0000n,
      last: 0x0aff_ffffn,
    });
    expect(parseRange('::ffff:10.0.0.0/104')).toEqual(parseRange('::FFFF:a00:0/104'));
    expect(parseRange('::1')).toEqual({ family: 6, first: 1n, last: 1n });
    expect(parseRange('fd00::/8').last).toBe((0xfdn << 120n) | ((1n << 120n) - 1n));
    expect(normalizePeerAddress('::ffff:10.1.2.3')).toEqual({
      address: '10.1.2.3',
      family: 'ipv4',
    });
    expect(normalizePeerAddress('::FFFF:A01:203')).toEqual({ address: '10.1.2.3', family: 'ipv4' });
    expect(normalizePeerAddress('0:0:0:0:0:ffff:0a01:0203')).toEqual({
      address: '10.1.2.3',
      family: 'ipv4',
    });
    expect(normalizePeerAddress('::10.1.2.3')).toEqual({ address: '::10.1.2.3', family: 'ipv6' });
    expect(normalizePeerAddress('10.1.2.3')).toEqual({ address: '10.1.2.3', family: 'ipv4' });
    expect(normalizePeerAddress('not an address')).toBeUndefined();
    expect(normalizePeerAddress(undefined)).toBeUndefined();
  });
});

describe('TrustedProxies matches IPv4-mapped IPv6 peers as IPv4', () => {
  const trusts = (cidrs: string[], remoteAddress: string) => {
    const clock = new CoarseClock();
    const proxies = new TrustedProxies(cidrs, [], () => undefined, { generation: 0 }, clock);
    const trusted = proxies.isTrusted({ remoteAddress } as Socket);
    clock.stop();
    return trusted;
  };

  it.each([
    [['10.0.0.0/8'], '10.1.2.3', true],
    [['10.0.0.0/8'], '::ffff:10.1.2.3', true],
    [['10.0.0.0/8'], '::FFFF:a01:203', true],
    [['10.0.0.0/8'], '::ffff:11.1.2.3', false],
    [['10.0.0.0/8'], '::10.1.2.3', false],
    [['::ffff:10.0.0.0/104'], '10.1.2.3', true],
    [['::ffff:10.0.0.0/104'], '::ffff:10.1.2.3', true],
    [['::ffff:10.0.0.0/104'], '11.1.2.3', false],
    [['127.0.0.1', '::1'], '::1', true],
    [['127.0.0.1', '::1'], '::ffff:127.0.0.1', true],
    [['2001:db8::/32'], '2001:db8::5', true],
    [['2001:db8::/32'], '2001:db9::5', false],
  ])('%j trusts %s: %s', (cidrs, peer, expected) => {
    expect(trusts(cidrs, peer)).toBe(expected);
  });
});
