#!/usr/bin/env node
/**
 * npm run bench: requests per second and server CPU per request for three routes that differ
 * only in authentication (see bench-server.mjs), on both adapters, with a client certificate over
 * keep-alive connections. Runs alternate between routes and repeat; medians are compared as
 * ratios measured in the same run, so the machine's speed cancels out.
 *
 * Environment: BENCH_SECONDS (per run, default 3), BENCH_ROUNDS (default 5), BENCH_CONNECTIONS
 * (default 10). Writes bench-results/latest.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createRootCa, issue, writeIssued } from './lib/pki.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUTES = /** @type {const} */ (['open', 'noop', 'ours', 'plain']);
/** Server on core 1, load generator on core 0, when taskset exists: halves the run-to-run spread. */
const PIN = availableParallelism() >= 2 && hasTaskset();

function hasTaskset() {
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const GOALS = { express: { open: 0.95, plain: 1 }, fastify: { open: 0.9, plain: 2 } };

const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-'));
const root = await createRootCa('ca', 'O=Bench, CN=Bench CA');
const server = await issue('server', root, { subject: 'CN=localhost', dns: ['localhost'], ips: ['127.0.0.1'], eku: ['serverAuth'] });
const client = await issue('client', root, { subject: 'O=Bench, CN=bench-client', dns: ['bench-client'] });
for (const item of [root, server, client]) writeIssued(dir, item);

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? /** @type {number} */ (s[(s.length - 1) / 2]) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};

/** @param {'express'|'fastify'} adapter */
async function benchAdapter(adapter) {
  const server = new URL('./bench-server.mjs', import.meta.url).pathname;
  const [cmd, args] = PIN ? ['taskset', ['-c', '1', process.execPath, server]] : [process.execPath, [server]];
  const child = spawn(cmd, args, {
    env: { ...process.env, BENCH_ADAPTER: adapter, BENCH_CA: join(dir, 'ca.crt'), BENCH_CERT: join(dir, 'server.crt'), BENCH_KEY: join(dir, 'server.key') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  /** @type {(cmd: string) => Promise<any>} */
  const ask = (cmd) => new Promise((resolve) => { child.once('message', resolve); child.send({ cmd }); });
  const { port } = /** @type {{port: number}} */ (await new Promise((resolve) => child.once('message', resolve)));
  /** @type {Record<string, {rps: number[], cpuUs: number[]}>} */
  const results = Object.fromEntries(ROUTES.map((r) => [r, { rps: [], cpuUs: [] }]));
  const tlsOptions = { cert: client.certPem, key: client.keyPem, ca: root.certPem };
  // Warm-up: JIT, TLS sessions, caches.
  for (const route of ROUTES) await autocannon({ url: `https://127.0.0.1:${port}/bench/${route}`, connections: CONNECTIONS, duration: 1, tlsOptions });
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...ROUTES].reverse() : ROUTES;
    for (const route of order) {
      const before = (await ask('cpu')).cpu;
      const result = await autocannon({ url: `https://127.0.0.1:${port}/bench/${route}`, connections: CONNECTIONS, duration: SECONDS, tlsOptions });
      const after = (await ask('cpu')).cpu;
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${adapter} ${route}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const cpu = after.user + after.system - before.user - before.system;
      results[route]?.rps.push(result.requests.average);
      results[route]?.cpuUs.push(cpu / result.requests.total);
    }
  }
  const rss = (await ask('cpu')).rss;
  child.send({ cmd: 'stop' });
  return { results, rss };
}

const lines = [
  `Node ${process.version}, ${CONNECTIONS} keep-alive connections, ${ROUNDS} alternating rounds of ${SECONDS}s per route; medians${PIN ? '; server and load generator pinned to separate cores' : ''}.`,
  '',
  '| adapter | route | req/s | server CPU µs/req | ratio to unguarded | goal |',
  '|---|---|---:|---:|---:|---|',
];
let failed = false;
for (const adapter of /** @type {const} */ (['express', 'fastify'])) {
  const { results } = await benchAdapter(adapter);
  const m = (/** @type {string} */ r) => median(results[r]?.rps ?? []);
  const c = (/** @type {string} */ r) => median(results[r]?.cpuUs ?? []);
  const oursVsOpen = m('ours') / m('open');
  const oursVsPlain = m('ours') / m('plain');
  const goalOpen = GOALS[adapter].open;
  const goalPlain = GOALS[adapter].plain;
  const okOpen = oursVsOpen >= goalOpen;
  const okPlain = oursVsPlain >= goalPlain;
  failed ||= !okOpen || (adapter === 'fastify' && !okPlain);
  lines.push(`| ${adapter} | unguarded | ${m('open').toFixed(0)} | ${c('open').toFixed(1)} | 1.00 | |`);
  lines.push(`| ${adapter} | two no-op guards (Nest's own guard cost) | ${m('noop').toFixed(0)} | ${c('noop').toFixed(1)} | ${(m('noop') / m('open')).toFixed(2)} | reference |`);
  lines.push(`| ${adapter} | ours (strategy + allowlist) | ${m('ours').toFixed(0)} | ${c('ours').toFixed(1)} | ${oursVsOpen.toFixed(2)} | ≥ ${goalOpen} ${okOpen ? 'met' : 'MISSED'} |`);
  lines.push(`| ${adapter} | AuthGuard + passport-client-cert | ${m('plain').toFixed(0)} | ${c('plain').toFixed(1)} | ${(m('plain') / m('open')).toFixed(2)} | ours/plain = ${oursVsPlain.toFixed(2)}${adapter === 'fastify' ? ` (goal ≥ ${goalPlain} ${okPlain ? 'met' : 'MISSED'})` : ''} |`);
}
rmSync(dir, { recursive: true, force: true });
const report = lines.join('\n');
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.md', `${report}\n`);
process.stdout.write(`${report}\n`);
process.exitCode = failed ? 1 : 0;
