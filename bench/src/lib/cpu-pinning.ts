import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Whether servers can run on a core of their own: two cores or more and `taskset`, unless
 * `BENCH_PIN=0`. When they can, this process (the load generator) is pinned to core 0 and
 * {@link pinnedCommand} puts a server on core 1, so that the two do not take each other's time.
 */
export function pinServers(): boolean {
  if (process.env.BENCH_PIN === '0' || availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The command that runs `args` with this Node on core 1 (every thread of it: the affinity is set
 * before it starts), or on any core when `pin` is false.
 */
export function pinnedCommand(pin: boolean, args: readonly string[]): [string, string[]] {
  return pin ? ['taskset', ['-c', '1', process.execPath, ...args]] : [process.execPath, [...args]];
}
