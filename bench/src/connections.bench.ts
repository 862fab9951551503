/**
 * npm run bench:connections: server CPU per NEW connection, for the guarded route
 * (`/api/whoami`) against the public `/info` of the same shipped app
 * (servers/shipped-app.server.ts: default logging, health and metrics on, the benchmarks' routes),
 * on both adapters. Every request opens its own TLS connection with a client certificate, so both
 * routes pay the same handshake; what differs is the first authentication of the connection.
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
import { Agent, request } from 'node:https';
import { createRootCa, issue, type Issued } from 'nest-mtls-auth/testing';
import { createBenchPki } from './lib/bench-pki.js';
import { startBenchServer } from './lib/bench-server.js';
import { pinServers } from './lib/cpu-pinning.js';
import { serverScript } from './lib/repo-paths.js';
import { reportTable, verdict } from './lib/report.js';
import { median } from './lib/stats.js';

const GUARDED_PATH = process.env.BENCH_GUARDED_PATH ?? '/api/whoami';
const CLIENT_CA = process.env.BENCH_CLIENT_CA ?? 'shared';
if (CLIENT_CA !== 'shared' && CLIENT_CA !== 'separate') {
  throw new Error(`BENCH_CLIENT_CA must be shared or separate, not ${CLIENT_CA}`);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 60);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',');
const ROWS = (process.env.BENCH_ROWS ?? 'unseen,known').split(',');
type Row = 'unseen, full' | 'unseen, resumed' | 'known, full' | 'known, resumed';
/** undefined: measured, no goal. */
const GOALS: Record<Row, number | undefined> = {
  'unseen, full': 1.15,
  'unseen, resumed': undefined,
  'known, full': undefined,
  'known, resumed': undefined,
};
const selected = (row: string) => ROWS.some((r) => row.startsWith(r));

const pki = await createBenchPki('connections');
const clientRoot =
  CLIENT_CA === 'separate'
    ? await createRootCa('client-ca', 'O=Bench, CN=Bench client CA')
    : pki.root;
if (clientRoot !== pki.root) pki.write(clientRoot);
// Unseen certificates: every measured guarded connection of the "unseen" rows uses a new one.
const unseenRows = Object.keys(GOALS).filter((r) => r.startsWith('unseen') && selected(r)).length;
const needed = ADAPTERS.length * (ROUNDS * unseenRows + 1) * BLOCK;
// Made before any server starts: generating keys must not share the measured time.
process.stdout.write(`making ${needed} client certificates...\n`);
const clients: Issued[] = [];
for (let i = 0; i < needed; i++) {
  clients.push(
    await issue(`c${i}`, clientRoot, { subject: `O=Bench, CN=caller-${i}`, dns: [`caller-${i}`] }),
  );
}
let next = 0;
const take = (n: number) => clients.slice(next, (next += n));

/** GET over a new connection of `agent`: status and whether the TLS session was resumed. */
function get(
  port: number,
  path: string,
  agent: Agent,
): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const reused = (res.socket as import('node:tls').TLSSocket).isSessionReused();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused }));
    });
    req.on('error', reject);
    req.end();
  });
}

const pin = pinServers();
const lines: string[] = [];
let missed = false;
for (const adapter of ADAPTERS) {
  const server = await startBenchServer(
    serverScript('shipped-app'),
    [],
    {
      ...process.env,
      HTTP_ADAPTER: adapter,
      TLS_CERT_FILE: pki.file('server.crt'),
      TLS_KEY_FILE: pki.file('server.key'),
      MTLS_CA_FILE: pki.file(`${clientRoot.name}.crt`),
      OUTBOUND_CERT_FILE: pki.file('server.crt'),
      OUTBOUND_KEY_FILE: pki.file('server.key'),
      OUTBOUND_CA_FILE: pki.file('ca.crt'),
    },
    pin,
  );
  const { port } = server;

  /** Server CPU (µs) of one new connection to `path` (sampled around it). */
  const once = async (path: string, agent: Agent) => {
    const before = await server.usage();
    const { status, reused } = await get(port, path, agent);
    const spent = (await server.usage()).cpuUs - before.cpuUs;
    if (status !== 200) throw new Error(`${path}: ${status}`);
    return { spent, reused };
  };
  const agentFor = (c: Issued, resumed: boolean) =>
    new Agent({
      keepAlive: false,
      maxCachedSessions: resumed ? 1 : 0,
      ca: pki.root.certPem,
      cert: c.certPem,
      key: c.keyPem,
      servername: 'localhost',
    });

  /**
   * One sample per pair of connections, the two routes back to back (order alternating), so
   * that a burst of noise spoils a pair, not a row: the row reads the median of the pairs'
   * ratios. `certs` gives each pair its certificate (the same one on both routes).
   */
  const pairs = async (certs: readonly Issued[], { resumed = false } = {}) => {
    const ratios: number[] = [];
    const sums = { info: 0, guarded: 0 };
    for (const [i, cert] of certs.entries()) {
      // A resumed session needs an earlier full handshake of the same certificate: on /info.
      const agents = { info: agentFor(cert, resumed), guarded: agentFor(cert, resumed) };
      if (resumed) for (const a of Object.values(agents)) await get(port, '/info', a);
      const order = i % 2 === 0 ? (['info', 'guarded'] as const) : (['guarded', 'info'] as const);
      const cost = { info: 0, guarded: 0 };
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
  const runs: Record<Row, () => ReturnType<typeof pairs>> = {
    'unseen, full': () => pairs(take(BLOCK)),
    'unseen, resumed': () => pairs(take(BLOCK), { resumed: true }),
    'known, full': () => pairs(known),
    'known, resumed': () => pairs(known, { resumed: true }),
  };
  const rows = (Object.keys(runs) as Row[]).filter(selected);
  const samples = Object.fromEntries(rows.map((row) => [row, [] as number[]]));
  const costs = Object.fromEntries(rows.map((row) => [row, { info: 0, guarded: 0 }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const row of rows) {
      const result = await runs[row]();
      samples[row]?.push(...result.ratios);
      const cost = costs[row];
      if (cost) {
        cost.info += result.info / ROUNDS;
        cost.guarded += result.guarded / ROUNDS;
      }
    }
  }
  await server.stop();
  for (const row of rows) {
    const ratio = median(samples[row] ?? []);
    const goal = GOALS[row];
    const ok = goal === undefined || ratio <= goal;
    if (!ok) missed = true;
    const { info, guarded } = costs[row] ?? { info: 0, guarded: 0 };
    lines.push(
      `| ${adapter} | ${row} | ${info.toFixed(0)} | ${guarded.toFixed(0)} | ${ratio.toFixed(3)} | ${goal === undefined ? '-' : `<= ${goal}`} | ${goal === undefined ? '' : verdict(ok)} |`,
    );
  }
}
pki.remove();
reportTable(
  'connections',
  [
    `Server CPU per new connection (µs), shipped app, Node ${process.version}, ${ROUNDS} rounds of ${BLOCK} connections per route, clients' CA ${CLIENT_CA === 'shared' ? "the server's (clients send it)" : 'a separate one (clients send their leaf)'}${pin ? ', server pinned to core 1' : ''}:`,
    '',
    `| adapter | certificate, handshake | /info (mean) | ${GUARDED_PATH} (mean) | guarded / info (median of pairs) | goal | |`,
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n'),
);
process.exitCode = missed ? 1 : 0;
