import autocannon from 'autocannon';
import type { BenchServer } from './bench-server.js';

/** Per-slice samples of one path: requests per second, server CPU µs and context switches per request. */
export interface SliceSamples {
  readonly rps: number[];
  readonly cpuUs: number[];
  readonly switches: number[];
}

/** How {@link interleavedSamples} runs. */
export interface InterleavedRun {
  readonly origin: string;
  /** The paths compared, by name. */
  readonly paths: Readonly<Record<string, string>>;
  readonly server: Pick<BenchServer, 'usage'>;
  readonly tlsOptions: object;
  readonly rounds: number;
  readonly cycles: number;
  readonly sliceMs: number;
  readonly connections: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Paths of one server compared slice by slice: in each round one autocannon run keeps its
 * connections open and switches every request's path to the current one, which changes every
 * `sliceMs`, cycling `cycles` times through the paths (forward in even rounds, backward in odd
 * ones). Every slice is one sample of its path's server CPU per request, and the samples of one
 * cycle, taken within a second or two of each other on the same warm connections, are compared
 * pairwise (`pairedRatio`): drift falls on every path alike, and a burst of noise on the machine
 * spoils one pair rather than a whole round. Warm-up slices (TLS handshakes; in the first round,
 * every path once) are measured for no path.
 */
export async function interleavedSamples(o: InterleavedRun): Promise<Record<string, SliceSamples>> {
  const names = Object.keys(o.paths);
  const samples: Record<string, SliceSamples> = Object.fromEntries(
    names.map((n) => [n, { rps: [], cpuUs: [], switches: [] }]),
  );
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 ? names.toReversed() : names;
    const slices = Array.from({ length: o.cycles }, () => order).flat();
    let current = order[0] ?? '';
    let answered = 0;
    let failures = 0;
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const run = autocannon(
      {
        url: o.origin,
        connections: o.connections,
        duration: (o.sliceMs * (slices.length + order.length + 2)) / 1000,
        tlsOptions: o.tlsOptions,
        requests: [{ setupRequest: (req) => ({ ...req, path: o.paths[current] }) }],
      },
      () => finish(),
    );
    run.on('response', (_client, statusCode) => {
      answered++;
      if (statusCode !== 200) failures++;
    });
    for (const name of round === 0 ? order : [current]) {
      current = name;
      await sleep(o.sliceMs);
    }
    current = order[0] ?? '';
    let before = await o.server.usage();
    let started = performance.now();
    answered = 0;
    for (const name of slices) {
      current = name;
      await sleep(o.sliceMs);
      const after = await o.server.usage();
      const ended = performance.now();
      // The i-th sample of every path comes from the same cycle: pairedRatio pairs them.
      const s = samples[name];
      s?.rps.push((answered * 1000) / (ended - started));
      s?.cpuUs.push((after.cpuUs - before.cpuUs) / answered);
      s?.switches.push((after.switches - before.switches) / answered);
      answered = 0;
      before = after;
      started = ended;
    }
    run.stop();
    await finished;
    if (failures > 0) throw new Error(`${o.origin}: ${failures} answers other than 200`);
  }
  return samples;
}
