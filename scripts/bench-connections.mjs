#!/usr/bin/env node
/**
 * npm run bench:connections: server CPU per NEW connection, for the guarded route
 * (`/api/whoami`) against the public `/info` of the same, shipped app (dist/app.factory.js,
 * default logging, health and metrics on, with the routes of scripts/lib/fixture-routes.mjs), on
 * both adapters. Every request opens its own TLS
 * connection with a client certificate, so both routes pay the same handshake; what differs is
 * the first authentication of the connection.
 *
 * Rows (each the median of paired ratios: a connection to each route back to back, server CPU
 * sampled around each one over IPC, which costs both routes the same):
 *   full handshake, unseen certificate   every guarded connection brings a certificate the
 *                                         service has not judged yet             goal <= 1.15
 *   resumed session, unseen certificate  the same over a resumed TLS session     (measured)
 *   full handshake, known certificate    a caller that reconnects                (measured)
 *   resumed session, known certificate   the same over a resumed TLS session     (measured)
 *
 * The last three rows have no goal: what remains of them over a bare route is Node's own copy of
 * the client's chain (`npm run bench:peer-read`), not this package's work.
 *
 * Environment: BENCH_ROUNDS (default 9), BENCH_BLOCK (connections per block, default 60),
 * BENCH_ADAPTERS (default express,fastify), BENCH_ROWS (default unseen,known: the rows whose name
 * starts with one of these), BENCH_GUARDED_PATH (default /api/whoami; /api/data reads the
 * identity too but answers a small body), BENCH_CLIENT_CA (default `shared`: one CA issues the
 * server's and the clients' certificates, as `npm run certs` does, so a client's trust store holds
 * its own issuer and Node's client sends it along with its leaf; `separate`: the clients' CA is
 * not the server's, and they send their leaf only, which spares the server building an
 * X509Certificate of the CA on each full handshake: see `npm run bench:peer-read`).
 * The server runs pinned to core 1 when taskset exists.
 * Writes bench-results/connections.md; exits 1 when a goal is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  forkBenchServer,
  hasTaskset,
  issueBenchServer,
  median,
  reportTable,
} from './lib/bench-stats.mjs';
import { createRootCa, issue, writeIssued } from 'nest-mtls-auth/testing';

const GUARDED_PATH = process.env.BENCH_GUARDED_PATH ?? '/api/whoami';
const CLIENT_CA = process.env.BENCH_CLIENT_CA ?? 'shared';
if (CLIENT_CA !== 'shared' && CLIENT_CA !== 'separate') {
  throw new Error(`BENCH_CLIENT_CA must be shared or separate, not ${CLIENT_CA}`);
}

if (process.argv[2] === '--server') await serve();
else await main();

/** The child: the shipped app, answering `cpu` and `stop` over IPC. */
async function serve() {
  const { loadAppConfig } = await import('../dist/config/app-config.js');
  const { createApp } = await import('../dist/app.factory.js');
  const { FixtureRoutesModule } = await import('./lib/fixture-routes.mjs');
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  const config = loadAppConfig(env);
  const app = await createApp(config, { features: [FixtureRoutesModule] });
  await app.listen(0, '127.0.0.1');
  process.on('message', (/** @type {string} */ msg) => {
    if (msg === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
    }
    if (msg === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send?.({ port: app.getHttpServer().address().port });
}

async function main() {
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
  const BLOCK = Number(process.env.BENCH_BLOCK ?? 60);
  const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',');
  const ROWS = (process.env.BENCH_ROWS ?? 'unseen,known').split(',');
  /** @type {Record<string, number | undefined>} undefined: measured, no goal. */
  const GOALS = {
    'unseen, full': 1.15,
    'unseen, resumed': undefined,
    'known, full': undefined,
    'known, resumed': undefined,
  };
  /** @param {string} row */
  const selected = (row) => ROWS.some((r) => row.startsWith(r));

  const dir = mkdtempSync(join(tmpdir(), 'mtls-bench-conn-'));
  const root = await createRootCa('ca', 'O=Bench, CN=Bench CA');
  const server = await issueBenchServer(root);
  const clientRoot =
    CLIENT_CA === 'separate'
      ? await createRootCa('client-ca', 'O=Bench, CN=Bench client CA')
      : root;
  for (const item of new Set([root, server, clientRoot])) writeIssued(dir, item);
  // Unseen certificates: every measured guarded connection of the "unseen" rows uses a new one.
  const unseenRows = Object.keys(GOALS).filter((r) => r.startsWith('unseen') && selected(r)).length;
  const needed = ADAPTERS.length * (ROUNDS * unseenRows + 1) * BLOCK;
  // Made in the parent before any server starts: generating keys must not share the measured time.
  process.stdout.write(`making ${needed} client certificates...\n`);
  const clients = [];
  for (let i = 0; i < needed; i++) {
    clients.push(
      await issue(`c${i}`, clientRoot, {
        subject: `O=Bench, CN=caller-${i}`,
        dns: [`caller-${i}`],
      }),
    );
  }
  let next = 0;
  const take = (n) => clients.slice(next, (next += n));

  const pin = availableParallelism() >= 2 && hasTaskset();
  const lines = [];
  let missed = false;
  for (const adapter of ADAPTERS) {
    const { port, cpu, stop } = await forkBenchServer(
      new URL(import.meta.url).pathname,
      ['--server'],
      {
        ...process.env,
        HTTP_ADAPTER: adapter,
        TLS_CERT_FILE: join(dir, 'server.crt'),
        TLS_KEY_FILE: join(dir, 'server.key'),
        MTLS_CA_FILE: join(dir, `${clientRoot.name}.crt`),
        OUTBOUND_CERT_FILE: join(dir, 'server.crt'),
        OUTBOUND_KEY_FILE: join(dir, 'server.key'),
        OUTBOUND_CA_FILE: join(dir, 'ca.crt'),
      },
      pin,
    );

    /** Server CPU (µs) of one new connection to `path` with `cert` (sampled around it). */
    const once = async (path, agent) => {
      const before = await cpu();
      const { status, reused } = await get(port, path, agent);
      const spent = (await cpu()) - before;
      if (status !== 200) throw new Error(`${path}: ${status}`);
      return { spent, reused };
    };
    const agentFor = (c, resumed) =>
      new Agent({
        keepAlive: false,
        maxCachedSessions: resumed ? 1 : 0,
        ca: root.certPem,
        cert: c.certPem,
        key: c.keyPem,
        servername: 'localhost',
      });

    /**
     * One sample per pair of connections, the two routes back to back (order alternating), so
     * that a burst of noise spoils a pair, not a row: the row reads the median of the pairs'
     * ratios. `certs` gives each pair its certificate (the same one on both routes).
     */
    const pairs = async (certs, { resumed = false } = {}) => {
      const ratios = [];
      const sums = { info: 0, guarded: 0 };
      for (let i = 0; i < certs.length; i++) {
        const cert = certs[i];
        // A resumed session needs an earlier full handshake of the same certificate: on /info.
        const agents = { info: agentFor(cert, resumed), guarded: agentFor(cert, resumed) };
        if (resumed) for (const a of Object.values(agents)) await get(port, '/info', a);
        const order = i % 2 === 0 ? ['info', 'guarded'] : ['guarded', 'info'];
        const cost = {};
        for (const route of order) {
          const { spent, reused } = await once(
            route === 'info' ? '/info' : GUARDED_PATH,
            agents[route],
          );
          if (resumed && !reused) throw new Error('the session was not resumed');
          cost[route] = spent;
        }
        for (const a of Object.values(agents)) a.destroy();
        ratios.push(cost.guarded / cost.info);
        sums.info += cost.info;
        sums.guarded += cost.guarded;
      }
      return { ratios, info: sums.info / certs.length, guarded: sums.guarded / certs.length };
    };

    const known = take(BLOCK);
    // Judged once: "known" from now on; also warms the JIT on both routes.
    await pairs(known);
    const rows = Object.fromEntries(
      Object.entries({
        'unseen, full': () => pairs(take(BLOCK)),
        'unseen, resumed': () => pairs(take(BLOCK), { resumed: true }),
        'known, full': () => pairs(known),
        'known, resumed': () => pairs(known, { resumed: true }),
      }).filter(([row]) => selected(row)),
    );
    const samples = Object.fromEntries(Object.keys(rows).map((row) => [row, []]));
    const costs = Object.fromEntries(Object.keys(rows).map((row) => [row, [0, 0]]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [row, run] of Object.entries(rows)) {
        const result = await run();
        samples[row].push(...result.ratios);
        costs[row][0] += result.info / ROUNDS;
        costs[row][1] += result.guarded / ROUNDS;
      }
    }
    stop();
    for (const [row, ratios] of Object.entries(samples)) {
      const ratio = median(ratios);
      const goal = GOALS[row];
      const ok = goal === undefined || ratio <= goal;
      if (!ok) missed = true;
      const [info, guarded] = costs[row];
      const verdict = goal === undefined ? '' : ok ? 'met' : 'MISSED';
      lines.push(
        `| ${adapter} | ${row} | ${info.toFixed(0)} | ${guarded.toFixed(0)} | ${ratio.toFixed(3)} | ${goal === undefined ? '-' : `<= ${goal}`} | ${verdict} |`,
      );
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const table = [
    `Server CPU per new connection (µs), shipped app, Node ${process.version}, ${ROUNDS} rounds of ${BLOCK} connections per route, clients' CA ${CLIENT_CA === 'shared' ? "the server's (clients send it)" : 'a separate one (clients send their leaf)'}${pin ? ', server pinned to core 1' : ''}:`,
    '',
    `| adapter | certificate, handshake | /info (mean) | ${GUARDED_PATH} (mean) | guarded / info (median of pairs) | goal | |`,
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
  reportTable('connections.md', table);
  process.exit(missed ? 1 : 0);
}

/** GET over a new connection of `agent`: status and whether the TLS session was resumed. */
function get(port, path, agent) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const reused = res.socket.isSessionReused();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reused }));
    });
    req.on('error', reject);
    req.end();
  });
}
