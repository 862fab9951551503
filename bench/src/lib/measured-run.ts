import autocannon from 'autocannon';
import type { BenchServer } from './bench-server.js';

/** One load run against a server, per request: its CPU, and how often it went to sleep. */
export interface RunCost {
  readonly rps: number;
  /** Server CPU per request, µs. */
  readonly cpuUs: number;
  /** Server context switches per request. */
  readonly switches: number;
}

/**
 * One autocannon run of `options` against `server`, with the CPU the server spent on it (sampled
 * over IPC before and after) per request. Any answer other than 2xx, or any error, fails it.
 */
export async function measuredRun(
  server: Pick<BenchServer, 'usage'>,
  options: autocannon.Options,
): Promise<RunCost> {
  const before = await server.usage();
  const result = await autocannon(options);
  const after = await server.usage();
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const n = result.requests.total;
  return {
    rps: result.requests.average,
    cpuUs: (after.cpuUs - before.cpuUs) / n,
    switches: (after.switches - before.switches) / n,
  };
}
