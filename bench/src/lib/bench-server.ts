import { spawn, type ChildProcess } from 'node:child_process';
import { pinnedCommand } from './cpu-pinning.js';
import type { ServerCommand, ServerMessage, ServerUsage } from './server-usage.js';

/** A benchmark server running in a child process (see `answerOverIpc` for its side). */
export interface BenchServer {
  readonly port: number;
  readonly pid: number;
  /** What it has used so far (CPU, context switches, RSS). */
  usage(): Promise<ServerUsage>;
  /** Closes it and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `script` (a compiled server of this workspace, see `serverScript`) with `env`, on core 1
 * when `pin`; resolves once it listens. Its stdout is dropped (the shipped app logs there), its
 * stderr shown.
 */
export async function startBenchServer(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  pin: boolean,
): Promise<BenchServer> {
  const [command, argv] = pinnedCommand(pin, [script, ...args]);
  const child = spawn(command, argv, { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m: ServerMessage) => {
      if ('port' in m) resolve(m);
      else reject(new Error(`${script}: expected its port, got ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
  child.removeAllListeners('exit');
  return {
    port,
    pid: child.pid ?? 0,
    usage: () => ask(child),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop' satisfies ServerCommand);
      }),
  };
}

function ask(child: ChildProcess): Promise<ServerUsage> {
  return new Promise((resolve) => {
    child.once('message', (m: ServerMessage) => resolve(m as ServerUsage));
    child.send('usage' satisfies ServerCommand);
  });
}
