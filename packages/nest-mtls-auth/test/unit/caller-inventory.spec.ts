import { describe, expect, it } from 'vitest';
import { CallerInventory } from '../../src/records/caller-inventory.js';
import type { CoarseClock } from '../../src/records/coarse-clock.js';

/** A clock the test moves. */
const clock = () => {
  let now = 1_000;
  return { now: () => now, tick: (ms = 1) => (now += ms) } as CoarseClock & {
    tick(ms?: number): number;
  };
};
const identity = (n: number) => ({
  commonName: `svc-${n}`,
  fingerprint256: `FP:${n}`,
  spiffeId: null,
  subject: `CN=svc-${n}`,
});

describe('CallerInventory', () => {
  it('counts per caller and route, through the tally a verdict holds', () => {
    const c = clock();
    const inventory = new CallerInventory(10, c);
    const tally = inventory.recordOf(identity(1))?.tally('GET /a', 'AController');
    expect(tally).toBeDefined();
    if (!tally) return;
    inventory.count(tally, 'allowed');
    c.tick(5);
    inventory.count(tally, 'wouldRefuse');
    const [caller] = inventory.snapshot().callers;
    expect(caller).toMatchObject({
      commonName: 'svc-1',
      requests: 2,
      routes: [{ route: 'GET /a', controller: 'AController', allowed: 1, wouldRefuse: 1 }],
    });
    expect(Date.parse(caller?.lastSeen ?? '') - Date.parse(caller?.firstSeen ?? '')).toBe(5);
  });

  it('stays bounded: at capacity, the tenth seen longest ago is dropped, and marked so', () => {
    const c = clock();
    const inventory = new CallerInventory(100, c);
    const records = [];
    for (let n = 0; n < 100; n++) {
      c.tick();
      records.push(inventory.recordOf(identity(n)));
    }
    // Caller 0 is seen again: it is the most recent now, not the oldest.
    c.tick();
    inventory.count(records[0]!.tally('GET /a', 'A'), 'allowed');
    c.tick();
    inventory.recordOf(identity(100));
    expect(inventory.size).toBe(91);
    expect(records[0]?.evicted).toBe(false);
    expect(records.slice(1, 11).every((r) => r?.evicted)).toBe(true);
    expect(records[11]?.evicted).toBe(false);
    for (let n = 101; n < 10_000; n++) inventory.recordOf(identity(n));
    expect(inventory.size).toBeLessThanOrEqual(100);
  });

  it('is off with capacity 0', () => {
    expect(new CallerInventory(0, clock()).recordOf(identity(1))).toBeUndefined();
  });
});
