/**
 * npm run bench:startup (part of npm run bench): how long the shipped app takes from launch to its
 * first answer, and the memory it holds once started, against a bare Nest app with the same
 * adapter and TLS options, in the same run.
 *
 * Each round starts, per adapter, both apps one after the other (order alternating by round),
 * each as a new process (on core 1 when taskset exists; this process, which asks, on core 0):
 *   shipped  `node dist/main.js` as the runtime image runs it: NODE_ENV=production, a management
 *            port, its other settings at their defaults, the certificates of a throwaway PKI
 *            shaped like `npm run certs` (CA, server, outbound), no .env (it runs in an empty
 *            folder); the service's own routes, whatever they are
 *   bare     servers/bare-app.server.ts: Nest, the same adapter and TLS options, one public route
 * Start-up: from spawn to the first 200 over HTTPS (a GET with a client certificate on a new
 * connection every 5 ms: `/health/live` of the shipped app, `/info` of the bare one).
 * Idle RSS: the process's VmRSS (/proc/<pid>/status), BENCH_SETTLE_MS after that answer, with no
 * request in between. For reference, the CPU time the process had used by its first answer
 * (/proc/<pid>/stat, all threads): unlike the time, it does not grow when other processes take
 * the core, so it tells a busy machine from a heavier app.
 * A row gives the medians over rounds; a ratio is the median of the rounds' ratios (shipped over
 * bare, started back to back, so drift in the machine's speed cancels out).
 *
 * Goals (issue 26): start-up <= 1.3x bare, idle RSS <= 1.25x bare. Environment: BENCH_ROUNDS
 * (default 9), BENCH_SETTLE_MS (default 1000), BENCH_ADAPTERS (default express,fastify). Writes
 * bench-results/startup.md and the samples to startup.json; exits 1 when a goal is missed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue } from 'nest-mtls-auth/testing';
import { freePort } from 'nest-mtls-auth/testing/ports';
import { createBenchPki } from './lib/bench-pki.js';
import { BUILT_MAIN } from './lib/built-app.js';
import { pinnedCommand, pinServers } from './lib/cpu-pinning.js';
import { processCpuMs } from './lib/process-cpu.js';
import { firstAnswer, type ClientTls } from './lib/first-answer.js';
import { handshakeOptionsEnv } from './lib/handshake-options.js';
import { serverScript } from './lib/repo-paths.js';
import { reportTable, verdict } from './lib/report.js';
import { residentMemory } from './lib/resident-memory.js';
import { median, pairedRatio } from './lib/stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',');
const GOALS = { startup: 1.3, rss: 1.25 };

/** One app under test: how to launch it, and where it answers once started. */
interface Launch {
  readonly label: string;
  readonly script: string;
  readonly path: string;
  env(port: number): Promise<NodeJS.ProcessEnv>;
}

/** One start of one app. */
interface Start {
  /** From spawn to the first 200, ms. */
  readonly startupMs: number;
  /** The CPU time the process had used by then, ms (10 ms resolution). */
  readonly cpuMs: number;
  /** VmRSS after the settle time, bytes. */
  readonly rss: number;
}

const pin = pinServers();
const pki = await createBenchPki('startup');
const outbound = await issue('outbound', pki.root, {
  subject: 'O=Bench, CN=bench-service',
  dns: ['bench-service'],
});
const client = await issue('client', pki.root, {
  subject: 'O=Bench, CN=bench-client',
  dns: ['bench-client'],
});
pki.write(outbound, client);
const clientTls: ClientTls = { ca: pki.root.certPem, cert: client.certPem, key: client.keyPem };
/** The apps run here: an empty folder, so no `.env` of the repository is read. */
const cwd = mkdtempSync(join(tmpdir(), 'mtls-bench-startup-cwd-'));

const certificates = {
  TLS_CERT_FILE: pki.file('server.crt'),
  TLS_KEY_FILE: pki.file('server.key'),
  MTLS_CA_FILE: pki.file('ca.crt'),
};
const launches = (adapter: string): Record<'bare' | 'shipped', Launch> => ({
  bare: {
    label: 'bare Nest app (same adapter and TLS options, one route)',
    script: serverScript('bare-app'),
    path: '/info',
    env: (port) =>
      Promise.resolve({
        NODE_ENV: 'production',
        HTTP_ADAPTER: adapter,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...certificates,
        ...handshakeOptionsEnv(certificates.MTLS_CA_FILE),
      }),
  },
  shipped: {
    label: 'shipped app (dist/main.js, NODE_ENV=production)',
    script: BUILT_MAIN,
    path: '/health/live',
    env: async (port) => ({
      NODE_ENV: 'production',
      HTTP_ADAPTER: adapter,
      PORT: String(port),
      HOST: '127.0.0.1',
      MANAGEMENT_PORT: String(await freePortBut(port)),
      ...certificates,
      OUTBOUND_CERT_FILE: pki.file('outbound.crt'),
      OUTBOUND_KEY_FILE: pki.file('outbound.key'),
      OUTBOUND_CA_FILE: pki.file('ca.crt'),
    }),
  },
});

/** A free loopback port other than `taken`. */
async function freePortBut(taken: number): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== taken) return port;
  }
}

/**
 * {@link launchOnce}, again with other ports when a port it was given was taken in the meantime
 * (other processes on the machine listen too).
 */
async function startOnce(app: Launch): Promise<Start> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(app);
    } catch (error) {
      if (attempt >= 3 || !(error as Error).message.includes('EADDRINUSE')) throw error;
    }
  }
}

/** Launches `app`, waits for its first answer and the settle time, reads its RSS, stops it. */
async function launchOnce(app: Launch): Promise<Start> {
  const port = await freePort();
  const env = await app.env(port);
  const [command, args] = pinnedCommand(pin, [app.script]);
  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await firstAnswer(port, app.path, clientTls, () => child.exitCode === null);
    const startupMs = performance.now() - started;
    const cpuMs = processCpuMs(child.pid ?? 0);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { startupMs, cpuMs, rss: residentMemory(child.pid ?? 0) };
  } catch (error) {
    throw new Error(`${app.label}: ${(error as Error).message}\n${stderr}`, { cause: error });
  } finally {
    await stop(child);
  }
}

/** SIGTERM (the shipped app drains and exits), SIGKILL after 5 s. */
function stop(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const lines: string[] = [];
const samples: Record<string, Record<string, Start[]>> = {};
let missed = false;
for (const adapter of ADAPTERS) {
  const apps = launches(adapter);
  const starts: Record<'bare' | 'shipped', Start[]> = { bare: [], shipped: [] };
  // A start of each first, not counted: the files they read are in the page cache from then on.
  for (const app of Object.values(apps)) await startOnce(app);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? (['shipped', 'bare'] as const) : (['bare', 'shipped'] as const);
    for (const name of order) starts[name].push(await startOnce(apps[name]));
  }
  samples[adapter] = starts;
  const ms = (name: 'bare' | 'shipped') => starts[name].map((s) => s.startupMs);
  const cpu = (name: 'bare' | 'shipped') => starts[name].map((s) => s.cpuMs);
  const rss = (name: 'bare' | 'shipped') => starts[name].map((s) => s.rss);
  const startupRatio = pairedRatio(ms('shipped'), ms('bare'));
  const rssRatio = pairedRatio(rss('shipped'), rss('bare'));
  const cpuRatio = pairedRatio(cpu('shipped'), cpu('bare'));
  const startupOk = startupRatio <= GOALS.startup;
  const rssOk = rssRatio <= GOALS.rss;
  missed ||= !startupOk || !rssOk;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  lines.push(
    `| ${adapter} | ${apps.bare.label} | ${median(ms('bare')).toFixed(0)} | | | ${median(cpu('bare')).toFixed(0)} | | ${mb(median(rss('bare')))} | | |`,
    `| ${adapter} | ${apps.shipped.label} | ${median(ms('shipped')).toFixed(0)} | ${startupRatio.toFixed(2)}x bare | <= ${GOALS.startup}x ${verdict(startupOk)} | ${median(cpu('shipped')).toFixed(0)} | ${cpuRatio.toFixed(2)}x bare | ${mb(median(rss('shipped')))} | ${rssRatio.toFixed(2)}x bare | <= ${GOALS.rss}x ${verdict(rssOk)} |`,
  );
}
pki.remove();
rmSync(cwd, { recursive: true, force: true });
reportTable(
  'startup',
  [
    `Start-up (spawn to first HTTPS answer) and idle RSS (${SETTLE_MS} ms after it), Node ${process.version}, medians of ${ROUNDS} rounds, ratios the medians of the rounds' ratios${pin ? ', apps pinned to core 1' : ''}:`,
    '',
    '| adapter | app | start-up ms | ratio | goal | CPU ms by then | ratio | idle RSS MB | ratio | goal |',
    '|---|---|---:|---|---|---:|---|---:|---|---|',
    ...lines,
  ].join('\n'),
  samples,
);
process.exitCode = missed ? 1 : 0;
