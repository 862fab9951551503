/**
 * Helpers shared by the benchmarks (scripts/bench.mjs, bench-shipped.mjs, bench-connections.mjs).
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { issue } from 'nest-mtls-auth/testing';
import autocannon from 'autocannon';

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? /** @type {number} */ (s[(s.length - 1) / 2])
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

/** `true` when `taskset` can pin processes to cores (it then pins this one to core 0). */
export function hasTaskset() {
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The benchmarks' server certificate: `localhost` and 127.0.0.1, serverAuth.
 * @param {import('nest-mtls-auth/testing').Issued} root
 */
export function issueBenchServer(root) {
  return issue('server', root, {
    subject: 'CN=localhost',
    dns: ['localhost'],
    ips: ['127.0.0.1'],
    eku: ['serverAuth'],
  });
}

/**
 * Forks a benchmark server (`script` with `args`), which sends `{ port }` when listening and
 * answers `'cpu'` with its CPU time in µs and `'stop'` by exiting; pinned to core 1 when `pin`.
 * @param {string} script
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} pin
 */
export async function forkBenchServer(script, args, env, pin) {
  const child = fork(script, args, { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) =>
    child.once('message', (/** @type {{port: number}} */ m) => resolve(m.port)),
  );
  if (pin) execFileSync('taskset', ['-pc', '1', String(child.pid)], { stdio: 'ignore' });
  /** @returns {Promise<number>} */
  const cpu = () =>
    new Promise((resolve) => {
      child.once('message', (/** @type {{cpu: number}} */ m) => resolve(m.cpu));
      child.send('cpu');
    });
  return { port, cpu, stop: () => child.send('stop') };
}

/**
 * Prints a benchmark's markdown table and keeps it in bench-results/`name`.
 * @param {string} name
 * @param {string} table
 */
export function reportTable(name, table) {
  process.stdout.write(`${table}\n`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(`bench-results/${name}`, `${table}\n`);
}

/**
 * Paths of one server compared slice by slice: in each round one autocannon run keeps its
 * connections open and switches every request's path to the current one, which changes every
 * `sliceMs`, cycling `cycles` times through the paths (forward in even rounds, backward in odd
 * ones). Every slice is one sample of its path's server CPU per request, and the samples of one
 * cycle, taken within a second or two of each other on the same warm connections, are compared
 * pairwise (pairedRatio): drift falls on every path alike, and a burst of noise on the machine
 * spoils one pair rather than a whole round. Warm-up slices (TLS handshakes; in the first round,
 * every path once) are measured for no path.
 * @param {{
 *   origin: string,
 *   paths: Record<string, string>,
 *   usage(): Promise<{cpuUs: number, switches: number}>,
 *   tlsOptions: object,
 *   rounds: number, cycles: number, sliceMs: number, connections: number,
 * }} o `usage` is the server's cumulative CPU (µs) and context switches
 * @returns {Promise<Record<string, {rps: number[], cpuUs: number[], switches: number[]}>>} per slice
 */
export async function interleavedSamples(o) {
  const names = Object.keys(o.paths);
  /** @type {Record<string, {rps: number[], cpuUs: number[], switches: number[]}>} */
  const samples = Object.fromEntries(names.map((n) => [n, { rps: [], cpuUs: [], switches: [] }]));
  const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 ? [...names].reverse() : [...names];
    const slices = [...Array.from({ length: o.cycles }, () => order)].flat();
    /** @type {string} */
    let current = /** @type {string} */ (order[0]);
    let answered = 0;
    let failures = 0;
    const run = autocannon({
      url: o.origin,
      connections: o.connections,
      duration: (o.sliceMs * (slices.length + order.length + 2)) / 1000,
      tlsOptions: o.tlsOptions,
      requests: [{ setupRequest: (req) => ({ ...req, path: o.paths[current] }) }],
    });
    run.on('response', (_client, statusCode) => {
      answered++;
      if (statusCode !== 200) failures++;
    });
    for (const name of round === 0 ? order : [current]) {
      current = name;
      await sleep(o.sliceMs);
    }
    current = /** @type {string} */ (order[0]);
    let before = await o.usage();
    let started = performance.now();
    answered = 0;
    for (const name of slices) {
      current = name;
      await sleep(o.sliceMs);
      const after = await o.usage();
      const ended = performance.now();
      // The i-th sample of every path comes from the same cycle: pairedRatio pairs them.
      const s = /** @type {{rps: number[], cpuUs: number[], switches: number[]}} */ (samples[name]);
      s.rps.push((answered * 1000) / (ended - started));
      s.cpuUs.push((after.cpuUs - before.cpuUs) / answered);
      s.switches.push((after.switches - before.switches) / answered);
      answered = 0;
      before = after;
      started = ended;
    }
    run.stop();
    await run;
    if (failures > 0) throw new Error(`${o.origin}: ${failures} answers other than 200`);
  }
  return samples;
}

/**
 * `a` over `b` as the median of the paired samples' ratios (samples taken back to back, so drift
 * in the machine's speed cancels out).
 * @param {number[]} a @param {number[]} b
 */
export function pairedRatio(a, b) {
  return median(a.map((x, i) => x / (b[i] ?? Infinity)));
}
