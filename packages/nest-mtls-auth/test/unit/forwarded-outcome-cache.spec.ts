import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForwardedOutcomeCache, sampledHash } from '../../src/records/forwarded-outcome-cache.js';

describe('ForwardedOutcomeCache', () => {
  const header = (fill: string, length = 1800) =>
    fill.repeat(Math.ceil(length / fill.length)).slice(0, length);

  it('answers for exactly the value it was given', () => {
    const cache = new ForwardedOutcomeCache<{ who: string }>(10);
    const a = header('MIIBkTCCATegAwIBAgIU');
    cache.set(a, { who: 'a' });
    expect(cache.get(`${a}`)).toEqual({ who: 'a' });
    expect(cache.get(a.slice(0, -1))).toBeUndefined();
    expect(cache.get(`${a}x`)).toBeUndefined();
  });

  it('never answers for another value with the same key', () => {
    // Same length, different only at index 1, which no sample reads: the keys collide.
    const a = header('ab');
    const b = `a${a[1] === 'b' ? 'c' : 'b'}${a.slice(2)}`;
    expect(sampledHash(a)).toBe(sampledHash(b));
    const cache = new ForwardedOutcomeCache<{ who: string }>(10);
    cache.set(a, { who: 'a' });
    expect(cache.get(b)).toBeUndefined();
    cache.set(b, { who: 'b' });
    expect(cache.get(b)).toEqual({ who: 'b' });
    expect(cache.get(a)).toBeUndefined(); // they take turns in one slot
  });

  it('stays bounded, evicting the least recently used', () => {
    const cache = new ForwardedOutcomeCache<{ i: number }>(3);
    const values = [0, 1, 2, 3].map((i) => `${'x'.repeat(100)}${i}`);
    values.slice(0, 3).forEach((v, i) => cache.set(v, { i }));
    expect(cache.get(values[0] as string)).toEqual({ i: 0 });
    cache.set(values[3] as string, { i: 3 });
    expect(cache.size).toBe(3);
    expect(cache.get(values[1] as string)).toBeUndefined();
    expect(cache.get(values[0] as string)).toEqual({ i: 0 });
  });

  it('keys any string, short or long, to a 32-bit number, and tells real certificates apart', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), (s) => {
        const h = sampledHash(s);
        return Number.isInteger(h) && h >= 0 && h < 2 ** 32;
      }),
    );
    // Different keys for values that differ where certificates differ (key, serial, signature).
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 400, maxLength: 400 }), (bytes) => {
        const base = header('MIIBkTCCATegAwIBAgIU', 1400);
        const a = base + Buffer.from(bytes).toString('base64');
        const b = base + Buffer.from(bytes.map((x) => x ^ 0xff)).toString('base64');
        return sampledHash(a) !== sampledHash(b);
      }),
    );
  });
});
