/**
 * Helpers shared by the benchmarks (scripts/bench.mjs, scripts/bench-connections.mjs).
 */
import { execFileSync } from 'node:child_process';

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
