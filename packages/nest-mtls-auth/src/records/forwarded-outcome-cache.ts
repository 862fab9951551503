import { LRUCache } from 'lru-cache';

/** How many characters of a header value go into its cache key. */
const SAMPLES = 64;

/**
 * What is known about forwarded certificate headers, by header value, bounded (LRU).
 *
 * A forwarded certificate is 1–2 KB of text, new on every request: hashing all of it for a `Map`
 * lookup costs more than the rest of forwarded authentication. So the LRU is keyed by a hash of
 * the value's length and {@link SAMPLES} characters spread along it, and a hit counts only when
 * the whole stored value equals the request's (a plain comparison, no hashing). What else the
 * answer depends on (the chain header's value, a proxy's verdict) is `context`, compared the same
 * way, never joined to the value (a copy of both per request). Two values with the same key take
 * turns in one slot: a miss, never the other value's answer.
 */
export class ForwardedOutcomeCache<T extends object> {
  private readonly lru: LRUCache<
    number,
    { readonly value: string; readonly context: string; readonly item: T }
  >;

  constructor(max: number) {
    this.lru = new LRUCache({ max });
  }

  /** The item remembered for exactly this header value in this context. */
  get(value: string, context = ''): T | undefined {
    const slot = this.lru.get(sampledHash(value));
    return slot !== undefined && slot.value === value && slot.context === context
      ? slot.item
      : undefined;
  }

  set(value: string, item: T, context = ''): void {
    this.lru.set(sampledHash(value), { value, context, item });
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}

/**
 * 32-bit FNV-1a over the length of `value` and {@link SAMPLES} of its characters at evenly spread
 * positions, first and last included (all of them when it is shorter). Only a cache key: equality
 * is checked on the value.
 */
export function sampledHash(value: string): number {
  const n = value.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  if (n <= SAMPLES) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  } else {
    // From the first character to the last, evenly.
    for (let i = 0; i < SAMPLES; i++) {
      h = Math.imul(h ^ value.charCodeAt(Math.floor(((n - 1) * i) / (SAMPLES - 1))), 0x01000193);
    }
  }
  return h >>> 0;
}
