#!/usr/bin/env node
/**
 * npm run bench: requests per second and server CPU per request for routes that differ only in
 * authentication (see bench-server.mjs), on both adapters, with a client certificate over
 * keep-alive connections; and, when nginx is installed, the same guarded route reached through
 * nginx (the shipped config) with a forwarded certificate. Routes of one server are measured
 * interleaved (see interleaved()); the forwarded rows, which compare two servers, in alternating
 * runs. Costs are server CPU per request, compared as the median of paired samples' ratios measured in
 * the same run, so the machine's speed cancels out.
 *
 * Environment: BENCH_ROUNDS (default 9), BENCH_SLICE_MS (default 500), BENCH_CYCLES (default 6),
 * BENCH_SECONDS (per forwarded run, default 3), BENCH_CONNECTIONS (default 10), BENCH_ADAPTERS
 * (default express,fastify), BENCH_FORWARDED=0 (skip the rows through nginx). Writes
 * bench-results/latest.md and the samples (per slice, per forwarded run) to latest.json; exits 1 when a goal is missed.
 */
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  hasTaskset,
  interleavedSamples,
  issueBenchServer,
  median,
  pairedRatio,
} from './lib/bench-stats.mjs';
import { findNginx, startNginx } from './lib/nginx.mjs';
import { createRootCa, issue, writeIssued } from 'nest-mtls-auth/testing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Interleaved routes: each slice measures one route, each round cycles through them CYCLES times. */
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 500);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 6);
const GOALS = { express: { open: 0.95, plain: 1 }, fastify: { open: 0.9, plain: 2 } };
const FORWARDED_GOAL = 0.85;
/** Server on core 1, load generator (and nginx) on core 0, when taskset exists. */
const PIN = availableParallelism() >= 2 && hasTaskset();

const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-'));
const root = await createRootCa('ca', 'O=Bench, CN=Bench CA');
const server = await issueBenchServer(root);
const client = await issue('client', root, {
  subject: 'O=Bench, CN=bench-client',
  dns: ['bench-client'],
});
const proxy = await issue('proxy', root, {
  subject: 'O=Bench, CN=bench-proxy',
  dns: ['bench-proxy'],
});
for (const item of [root, server, client, proxy]) writeIssued(dir, item);
const tlsOptions = { cert: client.certPem, key: client.keyPem, ca: root.certPem };

/**
 * Starts bench-server.mjs in a child process (pinned to core 1 when possible).
 * @param {'express'|'fastify'} adapter @param {Record<string, string>} [env]
 */
async function startServer(adapter, env = {}) {
  const script = new URL('./bench-server.mjs', import.meta.url).pathname;
  const [cmd, args] = PIN
    ? ['taskset', ['-c', '1', process.execPath, script]]
    : [process.execPath, [script]];
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      ...env,
      BENCH_ADAPTER: adapter,
      BENCH_CA: join(dir, 'ca.crt'),
      BENCH_CERT: join(dir, 'server.crt'),
      BENCH_KEY: join(dir, 'server.key'),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = /** @type {{port: number}} */ (
    await new Promise((resolve) => child.once('message', resolve))
  );
  /** @returns {Promise<Usage>} */
  const cpu = () =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(/** @type {any} */ (m)));
      child.send({ cmd: 'cpu' });
    });
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.send({ cmd: 'stop' });
    });
  return { port, cpu, stop };
}

/** @typedef {{cpu: {user: number, system: number}, switches: number}} Usage */
/**
 * @typedef {object} Target
 * @property {string} url
 * @property {{cpu(): Promise<Usage>}} app the server that does the work (its CPU is measured)
 * @property {Record<string, string>} [headers] sent with every request
 * @property {object} [tls] client TLS options (default: the bench client's certificate)
 */

/**
 * One autocannon run against a target, with the CPU the app server spent on it and how often it
 * went to sleep waiting for work (context switches), both per request.
 * @param {Target} target
 */
async function measure({ url, app, headers, tls }) {
  const before = await app.cpu();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    tlsOptions: tls ?? tlsOptions,
    headers,
  });
  const after = await app.cpu();
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const n = result.requests.total;
  return {
    rps: result.requests.average,
    cpuUs: (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / n,
    switches: (after.switches - before.switches) / n,
  };
}

/**
 * Medians per target of its samples, with the CPU samples kept for paired ratios.
 * @param {Record<string, {rps: number[], cpuUs: number[], switches: number[]}>} samples
 * @returns {Record<string, {rps: number, cpuUs: number, switches: number, cpuSamples: number[]}>}
 */
function summarize(samples) {
  return Object.fromEntries(
    Object.entries(samples).map(([n, s]) => [
      n,
      {
        rps: median(s.rps),
        cpuUs: median(s.cpuUs),
        switches: median(s.switches),
        cpuSamples: s.cpuUs,
      },
    ]),
  );
}

/**
 * Alternating rounds over named targets; medians per target.
 * @param {Record<string, Target>} targets
 * @returns {Promise<Record<string, {rps: number, cpuUs: number, switches: number, cpuSamples: number[]}>>}
 */
async function rounds(targets) {
  const names = Object.keys(targets);
  /** @type {Record<string, {rps: number[], cpuUs: number[], switches: number[]}>} */
  const samples = Object.fromEntries(names.map((n) => [n, { rps: [], cpuUs: [], switches: [] }]));
  for (const n of names) {
    const t = /** @type {Target} */ (targets[n]);
    await autocannon({
      url: t.url,
      connections: CONNECTIONS,
      duration: 1,
      tlsOptions: t.tls ?? tlsOptions,
      headers: t.headers,
    }); // warm-up
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of round % 2 ? [...names].reverse() : names) {
      const m = await measure(/** @type {Target} */ (targets[n]));
      samples[n]?.rps.push(m.rps);
      samples[n]?.cpuUs.push(m.cpuUs);
      samples[n]?.switches.push(m.switches);
    }
  }
  return summarize(samples);
}

/**
 * Routes of one server compared slice by slice (see interleavedSamples in lib/bench-stats.mjs);
 * medians per route, the CPU samples kept for paired ratios.
 * @param {{cpu(): Promise<Usage>}} app @param {string} base the routes' common URL prefix
 * @param {readonly string[]} names
 * @returns {Promise<Record<string, {rps: number, cpuUs: number, switches: number, cpuSamples: number[]}>>}
 */
async function interleaved(app, base, names) {
  const url = new URL(base);
  const samples = await interleavedSamples({
    origin: url.origin,
    paths: Object.fromEntries(names.map((n) => [n, `${url.pathname}/${n}`])),
    usage: async () => {
      const u = await app.cpu();
      return { cpuUs: u.cpu.user + u.cpu.system, switches: u.switches };
    },
    tlsOptions,
    rounds: ROUNDS,
    cycles: CYCLES,
    sliceMs: SLICE_MS,
    connections: CONNECTIONS,
  });
  return summarize(samples);
}

/**
 * `base` CPU over `other` CPU, as the median of the paired samples' ratios (per cycle for
 * interleaved routes, per round for alternating runs): paired samples are taken back to back, so
 * drift in the machine's speed cancels out.
 * @param {{cpuSamples: number[]} | undefined} base @param {{cpuSamples: number[]} | undefined} other
 */
function cpuRatio(base, other) {
  return pairedRatio(base?.cpuSamples ?? [], other?.cpuSamples ?? []);
}

/**
 * The headers nginx sends the app for the bench client: asked through the real nginx, of a route
 * that echoes them. Hop-by-hop and per-connection headers are left to the replaying client.
 * @param {string} url
 * @returns {Promise<Record<string, string>>}
 */
function headersSentBy(url) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...tlsOptions, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode} ${body}`));
        /** @type {Record<string, string>} */
        const headers = JSON.parse(body);
        for (const h of ['host', 'connection', 'content-length']) delete headers[h];
        resolve(headers);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const lines = [
  `Node ${process.version}, ${CONNECTIONS} keep-alive connections; routes interleaved in ${SLICE_MS / 1000} s slices on the same connections, ${CYCLES} cycles per round, ${ROUNDS} rounds, ratios paired per cycle (forwarded rows: ${ROUNDS} alternating rounds of ${SECONDS} s per path, ratios paired per round); medians of the paired ratios${PIN ? '; server pinned to one core, load generator (and nginx) to the other' : ''}.`,
  '',
  '| adapter | route | req/s | server CPU µs/req | ratio (unguarded CPU / this CPU) | goal |',
  '|---|---|---:|---:|---:|---|',
];
const forwardedLines = [
  '',
  '| adapter | path | req/s | app CPU µs/req | app sleeps/req | ratio (direct CPU / this CPU) | goal |',
  '|---|---|---:|---:|---:|---:|---|',
];
const nginx = process.env.BENCH_FORWARDED === '0' ? undefined : findNginx();
let failed = false;
/** Every round's CPU per request, per adapter and target, for a second look at the medians. */
/** @type {Record<string, Record<string, number[]>>} */
const raw = {};
const ADAPTERS = /** @type {('express'|'fastify')[]} */ (
  (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',')
);
for (const adapter of ADAPTERS) {
  const app = await startServer(adapter);
  const base = `https://127.0.0.1:${app.port}/bench`;
  // Two interleaved groups: the light routes, where the goal is read, and the plain
  // passport-client-cert route with the routes it is compared to: its garbage (a parsed certificate
  // object per request) spills into whichever slice follows, so it stays out of the goal's group.
  const light = await interleaved(app, base, ['open', 'noop', 'ours']);
  const heavy = await interleaved(app, base, ['open', 'ours', 'plain']);
  raw[adapter] = Object.fromEntries([
    ...Object.entries(light).map(([n, m]) => [n, m.cpuSamples]),
    ...Object.entries(heavy).map(([n, m]) => [`${n} (with plain)`, m.cpuSamples]),
  ]);
  // Cost is server CPU per request (docs/benchmarks.md): ratio = unguarded CPU / route CPU.
  const groupOf = (/** @type {string} */ route) => (route === 'plain' ? heavy : light);
  const ratio = (/** @type {string} */ route) =>
    cpuRatio(groupOf(route).open, groupOf(route)[route]);
  const row = (
    /** @type {string} */ route,
    /** @type {string} */ label,
    /** @type {string} */ goal,
  ) => {
    const m = groupOf(route)[route];
    return `| ${adapter} | ${label} | ${(m?.rps ?? 0).toFixed(0)} | ${(m?.cpuUs ?? 0).toFixed(1)} | ${ratio(route).toFixed(3)} | ${goal} |`;
  };
  const goals = GOALS[adapter];
  const okOpen = ratio('ours') >= goals.open;
  const oursVsPlain = cpuRatio(heavy.plain, heavy.ours);
  const okPlain = oursVsPlain >= goals.plain;
  failed ||= !okOpen || (adapter === 'fastify' && !okPlain);
  lines.push(row('open', 'unguarded', ''));
  lines.push(row('noop', "two no-op guards (Nest's own guard cost)", 'reference'));
  lines.push(
    row('ours', 'ours (strategy + allowlist)', `≥ ${goals.open} ${okOpen ? 'met' : 'MISSED'}`),
  );
  lines.push(
    row(
      'plain',
      'AuthGuard + passport-client-cert',
      `ours/plain = ${oursVsPlain.toFixed(2)}${adapter === 'fastify' ? ` (goal ≥ ${goals.plain} ${okPlain ? 'met' : 'MISSED'})` : ''}`,
    ),
  );

  if (nginx) {
    for (const scheme of /** @type {const} */ (['https', 'http'])) {
      const behind = await startServer(adapter, {
        BENCH_TRUSTED_PROXIES: '127.0.0.1/32',
        BENCH_PLAIN: scheme === 'http' ? '1' : '0',
      });
      const proxyServer = await startNginx(
        dir,
        {
          NGINX_CERT: join(dir, 'server.crt'),
          NGINX_KEY: join(dir, 'server.key'),
          CLIENT_CA: join(dir, 'ca.crt'),
          VERIFY_CLIENT: 'optional',
          APP_UPSTREAM: `127.0.0.1:${behind.port}`,
          UPSTREAM_SCHEME: scheme,
          PROXY_CERT: join(dir, 'proxy.crt'),
          PROXY_KEY: join(dir, 'proxy.key'),
        },
        PIN ? { cpus: '0' } : {},
      );
      // The app's forwarded mode at full load: the very request nginx sends (captured through it),
      // sent straight to the app by the load generator, from the trusted proxy's address (and with
      // nginx's client certificate on the mTLS upstream). The end-to-end rows below go through the
      // real nginx; docs/benchmarks.md says why they read lower on a two-core machine.
      const upstream = `${scheme}://127.0.0.1:${behind.port}/bench`;
      const fromNginx = await headersSentBy(`${proxyServer.url}/bench/headers`);
      const proxyTls = { cert: proxy.certPem, key: proxy.keyPem, ca: root.certPem };
      // Two alternating processes, each busy half the time: neither is favoured by staying warm.
      const g = await rounds({
        direct: { url: `${base}/ours`, app },
        replayed: { url: `${upstream}/ours`, app: behind, headers: fromNginx, tls: proxyTls },
      });
      const e = await rounds({
        forwarded: { url: `${proxyServer.url}/bench/ours`, app: behind },
        // Reference: what being behind nginx costs the app with no authentication at all.
        proxiedOpen: { url: `${proxyServer.url}/bench/open`, app: behind },
      });
      const f = { ...g, ...e };
      for (const [n, m] of Object.entries(f))
        (raw[`${adapter} ${scheme} upstream`] ??= {})[n] = m.cpuSamples;
      // The goal row pairs rounds; the end-to-end references ran in rounds of their own.
      const toDirect = (/** @type {string} */ n) =>
        n in g ? cpuRatio(g.direct, g[n]) : (g.direct?.cpuUs ?? 0) / (e[n]?.cpuUs ?? Infinity);
      const ok = toDirect('replayed') >= FORWARDED_GOAL;
      failed ||= !ok;
      const via = scheme === 'https' ? 'mTLS upstream' : 'plain-HTTP upstream (TLS_ENABLED=false)';
      const frow = (
        /** @type {string} */ n,
        /** @type {string} */ label,
        /** @type {string} */ goal,
      ) =>
        forwardedLines.push(
          `| ${adapter} | ${label} | ${(f[n]?.rps ?? 0).toFixed(0)} | ${(f[n]?.cpuUs ?? 0).toFixed(1)} | ${(f[n]?.switches ?? 0).toFixed(2)} | ${toDirect(n).toFixed(3)} | ${goal} |`,
        );
      frow('direct', 'direct TLS (ours)', '');
      frow(
        'replayed',
        `forwarded, ${via}: nginx's request at full load`,
        `≥ ${FORWARDED_GOAL} ${ok ? 'met' : 'MISSED'}`,
      );
      frow('forwarded', `forwarded, ${via}: end to end through nginx`, 'reference');
      frow('proxiedOpen', `unguarded route, ${via}: end to end through nginx`, 'reference');
      await proxyServer.stop();
      await behind.stop();
    }
  }
  await app.stop();
}
if (!nginx)
  forwardedLines.push(
    `| - | forwarded through nginx | ${process.env.BENCH_FORWARDED === '0' ? 'BENCH_FORWARDED=0' : 'nginx is not installed'}: row skipped | | | | |`,
  );
rmSync(dir, { recursive: true, force: true });
const report = [...lines, ...forwardedLines].join('\n');
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.md', `${report}\n`);
writeFileSync('bench-results/latest.json', `${JSON.stringify(raw, null, 2)}\n`);
process.stdout.write(`${report}\n`);
process.exitCode = failed ? 1 : 0;
