import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from './repo-paths.js';

/** Where the benchmarks keep their last tables and samples (ignored by git). */
export const RESULTS_DIR = repoPath('bench-results');

/**
 * Prints a benchmark's markdown table and keeps it in `bench-results/<name>.md`, with its raw
 * samples, when given, in `bench-results/<name>.json`.
 */
export function reportTable(name: string, table: string, samples?: unknown): void {
  process.stdout.write(`${table}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.md`), `${table}\n`);
  if (samples !== undefined)
    writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(samples, null, 2)}\n`);
}

/** `met` or `MISSED`, as the tables print a goal. */
export function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}
