import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { untilListening } from '../../scripts/lib/ports.mjs';

/** `name`'s binary: the first of `candidates` that exists, else what `command -v` finds. */
export function findBinary(name: string, candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

/**
 * Whether the tests that need the `name` binary (`found`, or `undefined`) can run: in CI
 * (`CI=true`) a missing binary fails the run; locally `tests` are skipped, loudly.
 */
export function binaryAvailability(
  name: string,
  found: string | undefined,
  tests: string,
): { available: boolean } {
  const available = found !== undefined;
  if (!available) {
    if (process.env.CI === 'true')
      throw new Error(`${name} is required in CI (apt-get install -y ${name})`);
    process.stderr.write(
      `\n*** ${name} is not installed: ${tests} are SKIPPED (apt-get install -y ${name}) ***\n\n`,
    );
  }
  return { available };
}

/** A proxy process started by {@link runUntilListening}. */
export interface ProxyProcess {
  /** Kills it (if it still runs) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `binary args` and waits until it listens on `port` on loopback; its stderr is kept for
 * the error when it exits first.
 */
export async function runUntilListening(
  binary: string,
  args: readonly string[],
  port: number,
  name: string,
  env?: SpawnOptions['env'],
): Promise<ProxyProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await untilListening(child, port, name, () => stderr);
  return {
    async stop() {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}
