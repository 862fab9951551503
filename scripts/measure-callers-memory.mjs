#!/usr/bin/env node
/**
 * What GET /callers costs in memory: heap used by a full caller inventory (MTLS_CALLER_INVENTORY_SIZE
 * identities, each with a CN, a SPIFFE ID, a subject DN and its fingerprint, seen on `ROUTES`
 * routes). Run after a build: node --expose-gc scripts/measure-callers-memory.mjs [size] [routes]
 * docs/operations.md quotes its numbers.
 */
import { randomBytes } from 'node:crypto';
import { CallerInventory } from '../packages/nest-mtls-auth/dist/records/caller-inventory.js';
import { CoarseClock } from '../packages/nest-mtls-auth/dist/records/coarse-clock.js';

const size = Number(process.argv[2] ?? 10_000);
const routes = Number(process.argv[3] ?? 3);
if (typeof globalThis.gc !== 'function') {
  process.stderr.write('run with node --expose-gc\n');
  process.exit(2);
}
const heap = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const clock = new CoarseClock();
const before = heap();
const inventory = new CallerInventory(size, clock);
for (let n = 0; n < size; n++) {
  const fingerprint256 = [...randomBytes(32)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':')
    .toUpperCase();
  const record = inventory.recordOf({
    commonName: `service-${n}.payments`,
    spiffeId: `spiffe://cluster.local/ns/payments/sa/service-${n}`,
    fingerprint256,
    subject: `CN=service-${n}.payments,OU=services,O=Example`,
  });
  for (let r = 0; r < routes; r++)
    inventory.count(record.tally(`GET /api/route-${r}`, 'ApiController'), 'allowed');
}
const after = heap();
clock.stop();
const mib = (after - before) / 1024 / 1024;
process.stdout.write(
  `${inventory.size} identities x ${routes} routes: ${mib.toFixed(1)} MiB of heap (${Math.round((after - before) / inventory.size)} bytes each), ${(JSON.stringify(inventory.snapshot()).length / 1024 / 1024) | 0} MiB of JSON for GET /callers\n`,
);
