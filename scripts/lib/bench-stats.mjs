/**
 * Helpers shared by the benchmarks (scripts/bench.mjs, scripts/bench-connections.mjs).
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { issue } from 'nest-mtls-auth/testing';

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
