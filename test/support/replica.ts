import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { collectJsonLines } from './json-lines.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import type { TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const MAIN = new URL('../../dist/main.js', import.meta.url).pathname;

/** A `node dist/main.js` process, as a container runs it, with its JSON log lines. */
export interface Replica {
  readonly port: number;
  readonly pid: number | undefined;
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * Starts the built service (`dist/main.js`) on a free loopback port with the PKI's files and
 * `env`, and waits until `/health` answers. `name` goes on the command line, so replicas differ
 * there as pods of one Deployment differ in their environment.
 */
export async function startReplica(
  pki: TestPki,
  name: string,
  env: Record<string, string>,
): Promise<Replica> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, name], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      TLS_CERT_FILE: pki.server.certFile,
      TLS_KEY_FILE: pki.server.keyFile,
      MTLS_CA_FILE: pki.caFile,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = collectJsonLines(child.stdout);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await call(pki, `https://127.0.0.1:${port}/health`)).status === 200) break;
    } catch (error) {
      if (i > 150) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    pid: child.pid,
    logs: () => lines,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
