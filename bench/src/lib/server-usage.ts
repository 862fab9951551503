import { existsSync, readFileSync } from 'node:fs';

/** What a server process has used so far, as it reports it over IPC. */
export interface ServerUsage {
  /** User + system CPU time of the process, µs. */
  readonly cpuUs: number;
  /** Voluntary + involuntary context switches (Linux; 0 elsewhere): how often it slept. */
  readonly switches: number;
  /** Resident set size, bytes. */
  readonly rss: number;
}

/** A message from a benchmark server to the process that started it. */
export type ServerMessage = { readonly port: number } | ServerUsage;

/** A message to a benchmark server. */
export type ServerCommand = 'usage' | 'stop';

/** This process's {@link ServerUsage}. */
export function ownUsage(): ServerUsage {
  const { user, system } = process.cpuUsage();
  return { cpuUs: user + system, switches: contextSwitches(), rss: process.memoryUsage().rss };
}

function contextSwitches(): number {
  if (!existsSync('/proc/self/status')) return 0;
  const status = readFileSync('/proc/self/status', 'utf8');
  return [...status.matchAll(/ctxt_switches:\s+(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/**
 * The server side of the IPC channel: tells the parent the port it listens on, answers `usage`,
 * and on `stop` closes (`close`) and exits. Does nothing when the process has no IPC channel.
 */
export function answerOverIpc(port: number, close: () => Promise<unknown>): void {
  const send = process.send?.bind(process);
  if (!send) return;
  process.on('message', (command: ServerCommand) => {
    if (command === 'usage') send(ownUsage());
    if (command === 'stop') void close().then(() => process.exit(0));
  });
  send({ port } satisfies ServerMessage);
}
