/**
 * npm run bench (its last part): requests per second and server CPU per request for routes that
 * differ only in authentication (fixtures/guard-routes.module.ts), on both adapters, with a client
 * certificate over keep-alive connections; and, when nginx is installed, the same guarded route
 * reached through nginx (the shipped config) with a forwarded certificate. Routes of one server
 * are measured interleaved (lib/interleaved.ts); the forwarded rows, which compare two servers,
 * in alternating runs. Costs are server CPU per request, compared as the median of paired
 * samples' ratios measured in the same run, so the machine's speed cancels out.
 *
 * Environment: BENCH_ROUNDS (default 9), BENCH_SLICE_MS (default 500), BENCH_CYCLES (default 6),
 * BENCH_SECONDS (per forwarded run, default 3), BENCH_CONNECTIONS (default 10), BENCH_ADAPTERS
 * (default express,fastify), BENCH_FORWARDED=0 (skip the rows through nginx). Writes
 * bench-results/latest.md and the samples (per slice, per forwarded run) to latest.json; exits 1
 * when a goal is missed.
 */
import { request as httpsRequest } from 'node:https';
import type autocannon from 'autocannon';
import { issue } from 'nest-mtls-auth/testing';
import { createBenchPki } from './lib/bench-pki.js';
import { startBenchServer, type BenchServer } from './lib/bench-server.js';
import { pinServers } from './lib/cpu-pinning.js';
import { interleavedSamples, type SliceSamples } from './lib/interleaved.js';
import { measuredRun } from './lib/measured-run.js';
import { importNginxRunner } from './lib/nginx.js';
import { serverScript } from './lib/repo-paths.js';
import { reportTable, verdict } from './lib/report.js';
import { median, pairedRatio } from './lib/stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Interleaved routes: each slice measures one route, each round cycles through them CYCLES times. */
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 500);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 6);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',') as (
  'express' | 'fastify'
)[];
const GOALS = { express: { open: 0.95, plain: 1 }, fastify: { open: 0.9, plain: 2 } };
const FORWARDED_GOAL = 0.85;
/** Server on core 1, load generator (and nginx) on core 0, when taskset exists. */
const PIN = pinServers();

const pki = await createBenchPki('keep-alive');
const client = await issue('client', pki.root, {
  subject: 'O=Bench, CN=bench-client',
  dns: ['bench-client'],
});
const proxy = await issue('proxy', pki.root, {
  subject: 'O=Bench, CN=bench-proxy',
  dns: ['bench-proxy'],
});
pki.write(client, proxy);
const tlsOptions = { cert: client.certPem, key: client.keyPem, ca: pki.root.certPem };

/** Medians of a target's samples, with its CPU samples kept for paired ratios. */
interface Summary {
  readonly rps: number;
  readonly cpuUs: number;
  readonly switches: number;
  readonly cpuSamples: number[];
}

/** A target of the alternating runs: the server that does the work is the one measured. */
interface Target {
  readonly url: string;
  readonly app: BenchServer;
  /** Sent with every request. */
  readonly headers?: Record<string, string>;
  /** Client TLS options (default: the bench client's certificate). */
  readonly tls?: object;
}

/** Starts the guard routes (servers/guard-routes.server.ts) on `adapter`. */
function startServer(adapter: string, env: Record<string, string> = {}): Promise<BenchServer> {
  return startBenchServer(
    serverScript('guard-routes'),
    [],
    {
      ...process.env,
      ...env,
      BENCH_ADAPTER: adapter,
      BENCH_CA: pki.file('ca.crt'),
      BENCH_CERT: pki.file('server.crt'),
      BENCH_KEY: pki.file('server.key'),
    },
    PIN,
  );
}

function summarize(samples: Record<string, SliceSamples>): Record<string, Summary> {
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

const runOptions = (t: Target, duration: number): autocannon.Options => ({
  url: t.url,
  connections: CONNECTIONS,
  duration,
  tlsOptions: t.tls ?? tlsOptions,
  headers: t.headers,
});

/** Alternating rounds over named targets; medians per target. */
async function rounds(targets: Record<string, Target>): Promise<Record<string, Summary>> {
  const names = Object.keys(targets);
  const samples: Record<string, SliceSamples> = Object.fromEntries(
    names.map((n) => [n, { rps: [], cpuUs: [], switches: [] }]),
  );
  for (const t of Object.values(targets)) await measuredRun(t.app, runOptions(t, 1)); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of round % 2 ? names.toReversed() : names) {
      const t = targets[n];
      if (!t) continue;
      const m = await measuredRun(t.app, runOptions(t, SECONDS));
      samples[n]?.rps.push(m.rps);
      samples[n]?.cpuUs.push(m.cpuUs);
      samples[n]?.switches.push(m.switches);
    }
  }
  return summarize(samples);
}

/** Routes of one server compared slice by slice; medians per route. */
async function interleaved(
  app: BenchServer,
  base: string,
  names: readonly string[],
): Promise<Record<string, Summary>> {
  const url = new URL(base);
  return summarize(
    await interleavedSamples({
      origin: url.origin,
      paths: Object.fromEntries(names.map((n) => [n, `${url.pathname}/${n}`])),
      server: app,
      tlsOptions,
      rounds: ROUNDS,
      cycles: CYCLES,
      sliceMs: SLICE_MS,
      connections: CONNECTIONS,
    }),
  );
}

/**
 * `base` CPU over `other` CPU, as the median of the paired samples' ratios (per cycle for
 * interleaved routes, per round for alternating runs): paired samples are taken back to back, so
 * drift in the machine's speed cancels out.
 */
function cpuRatio(base: Summary | undefined, other: Summary | undefined): number {
  return pairedRatio(base?.cpuSamples ?? [], other?.cpuSamples ?? []);
}

/**
 * The headers nginx sends the app for the bench client: asked through the real nginx, of a route
 * that echoes them. Hop-by-hop and per-connection headers are left to the replaying client.
 */
function headersSentBy(url: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...tlsOptions, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode} ${body}`));
        const headers = JSON.parse(body) as Record<string, string>;
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
const nginx = process.env.BENCH_FORWARDED === '0' ? undefined : await importNginxRunner();
const nginxFound = nginx?.findNginx() !== undefined;
let failed = false;
/** Every sample's CPU per request, per adapter and target, for a second look at the medians. */
const raw: Record<string, Record<string, number[]>> = {};
for (const adapter of ADAPTERS) {
  const app = await startServer(adapter);
  const base = `https://127.0.0.1:${app.port}/bench`;
  // Two interleaved groups: the light routes, where the goal is read, and the plain
  // passport-client-cert route with the routes it is compared to: its garbage (a parsed certificate
  // object per request) spills into whichever slice follows, so it stays out of the goal's group.
  const light = await interleaved(app, base, ['open', 'noop', 'ours']);
  const heavy = await interleaved(app, base, ['open', 'ours', 'plain']);
  raw[adapter] = Object.fromEntries([
    ...Object.entries(light).map(([n, m]): [string, number[]] => [n, m.cpuSamples]),
    ...Object.entries(heavy).map(([n, m]): [string, number[]] => [
      `${n} (with plain)`,
      m.cpuSamples,
    ]),
  ]);
  // Cost is server CPU per request: ratio = unguarded CPU / route CPU.
  const groupOf = (route: string) => (route === 'plain' ? heavy : light);
  const ratio = (route: string) => cpuRatio(groupOf(route).open, groupOf(route)[route]);
  const row = (route: string, label: string, goal: string) => {
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
  lines.push(row('ours', 'ours (strategy + allowlist)', `≥ ${goals.open} ${verdict(okOpen)}`));
  lines.push(
    row(
      'plain',
      'AuthGuard + passport-client-cert',
      `ours/plain = ${oursVsPlain.toFixed(2)}${adapter === 'fastify' ? ` (goal ≥ ${goals.plain} ${verdict(okPlain)})` : ''}`,
    ),
  );

  if (nginx && nginxFound) {
    for (const scheme of ['https', 'http'] as const) {
      const behind = await startServer(adapter, {
        BENCH_TRUSTED_PROXIES: '127.0.0.1/32',
        BENCH_PLAIN: scheme === 'http' ? '1' : '0',
      });
      const proxyServer = await nginx.startNginx(
        pki.dir,
        {
          NGINX_CERT: pki.file('server.crt'),
          NGINX_KEY: pki.file('server.key'),
          CLIENT_CA: pki.file('ca.crt'),
          VERIFY_CLIENT: 'optional',
          APP_UPSTREAM: `127.0.0.1:${behind.port}`,
          UPSTREAM_SCHEME: scheme,
          PROXY_CERT: pki.file('proxy.crt'),
          PROXY_KEY: pki.file('proxy.key'),
        },
        PIN ? { cpus: '0' } : {},
      );
      // The app's forwarded mode at full load: the very request nginx sends (captured through it),
      // sent straight to the app by the load generator, from the trusted proxy's address (and with
      // nginx's client certificate on the mTLS upstream). The end-to-end rows below go through the
      // real nginx; see docs/benchmarks.md for why they read lower on a two-core machine.
      const upstream = `${scheme}://127.0.0.1:${behind.port}/bench`;
      const fromNginx = await headersSentBy(`${proxyServer.url}/bench/headers`);
      const proxyTls = { cert: proxy.certPem, key: proxy.keyPem, ca: pki.root.certPem };
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
      const toDirect = (n: string) =>
        n in g ? cpuRatio(g.direct, g[n]) : (g.direct?.cpuUs ?? 0) / (e[n]?.cpuUs ?? Infinity);
      const ok = toDirect('replayed') >= FORWARDED_GOAL;
      failed ||= !ok;
      const via = scheme === 'https' ? 'mTLS upstream' : 'plain-HTTP upstream (TLS_ENABLED=false)';
      const frow = (n: string, label: string, goal: string) =>
        forwardedLines.push(
          `| ${adapter} | ${label} | ${(f[n]?.rps ?? 0).toFixed(0)} | ${(f[n]?.cpuUs ?? 0).toFixed(1)} | ${(f[n]?.switches ?? 0).toFixed(2)} | ${toDirect(n).toFixed(3)} | ${goal} |`,
        );
      frow('direct', 'direct TLS (ours)', '');
      frow(
        'replayed',
        `forwarded, ${via}: nginx's request at full load`,
        `≥ ${FORWARDED_GOAL} ${verdict(ok)}`,
      );
      frow('forwarded', `forwarded, ${via}: end to end through nginx`, 'reference');
      frow('proxiedOpen', `unguarded route, ${via}: end to end through nginx`, 'reference');
      await proxyServer.stop();
      await behind.stop();
    }
  }
  await app.stop();
}
if (!nginxFound)
  forwardedLines.push(
    `| - | forwarded through nginx | ${process.env.BENCH_FORWARDED === '0' ? 'BENCH_FORWARDED=0' : 'nginx is not installed'}: row skipped | | | | |`,
  );
pki.remove();
reportTable('latest', [...lines, ...forwardedLines].join('\n'), raw);
process.exitCode = failed ? 1 : 0;
