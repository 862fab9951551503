import { spawn } from 'node:child_process';
import { freePort } from '../../scripts/lib/ports.mjs';
import { collectJsonLines } from './json-lines.js';
import { fixtureServer, serviceEnv } from './service-process.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import type { TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

/** A process of the built service (with the test routes), as a container runs it, and its logs. */
export interface Replica {
  readonly port: number;
  readonly pid: number | undefined;
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * Starts the built service (scripts/fixture-server.mjs) on a free loopback port with the PKI's
 * files and `env`, and waits until `/health` answers. `name` goes on the command line, so replicas differ
 * there as pods of one Deployment differ in their environment.
 */
export async function startReplica(
  pki: TestPki,
  name: string,
  env: Record<string, string>,
): Promise<Replica> {
  const script = fixtureServer();
  const port = await freePort();
  const child = spawn(process.execPath, [script, name], {
    env: serviceEnv({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      TLS_CERT_FILE: pki.server.certFile,
      TLS_KEY_FILE: pki.server.keyFile,
      MTLS_CA_FILE: pki.caFile,
      ...env,
    }),
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
