import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.mjs';
import { ADAPTERS } from '../support/app-launcher.js';
import { fixtureServer, serviceEnv } from '../support/service-process.js';
import { call, keepAliveAgent } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

/** Starts the built service as a process (as `node dist/main.js` does, with the test routes). */
async function startMain(
  adapter: string,
): Promise<{ child: ChildProcess; port: number; exit: Promise<number | null> }> {
  const script = fixtureServer();
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: serviceEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      HTTP_ADAPTER: adapter,
      LOG_LEVEL: 'warn',
      TLS_CERT_FILE: pki.server.certFile,
      TLS_KEY_FILE: pki.server.keyFile,
      MTLS_CA_FILE: pki.caFile,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; ; i++) {
    try {
      await call(pki, `https://127.0.0.1:${port}/health`);
      return { child, port, exit };
    } catch (error) {
      if (i > 100 || child.exitCode !== null) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.each(ADAPTERS)('graceful shutdown of the built service on %s', (adapter) => {
  it('on SIGTERM finishes the request in flight, closes keep-alive connections and exits 0', async () => {
    const { child, port, exit } = await startMain(adapter);
    // An idle keep-alive connection, which must not hold the shutdown up.
    const agent = keepAliveAgent(pki, pki.clients.billing);
    expect((await call(pki, `https://127.0.0.1:${port}/health`, { agent })).status).toBe(200);
    // A request in flight: its headers are half sent when the signal arrives.
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: readFileSync(pki.caFile),
      cert: pki.clients.billing.certPem,
      key: pki.clients.billing.keyPem,
    });
    await new Promise<void>((resolve, reject) =>
      socket.once('secureConnect', resolve).once('error', reject),
    );
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 200));

    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write('\r\n');
    const started = Date.now();
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    agent.destroy();
    socket.destroy();
  });

  it('during the drain, answers carry Connection: close and keep-alive clients see no reset', async () => {
    const { child, port, exit } = await startMain(adapter);
    // One connection per client, so that each client's last answer is about its own connection.
    const agents = Array.from({ length: 4 }, () => keepAliveAgent(pki, pki.clients.billing));
    const errors: string[] = [];
    const lastAnswers: string[] = [];
    let stop = false;
    const client = async (agent: (typeof agents)[number]) => {
      let last = '';
      for (;;) {
        if (stop) return;
        try {
          const res = await call(pki, `https://127.0.0.1:${port}/health`, { agent });
          last = String(res.headers.connection);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          // Once the listener is closed, a new connection is refused: that is not a reset.
          if (code !== 'ECONNREFUSED') errors.push(code);
          lastAnswers.push(last);
          return;
        }
      }
    };
    const clients = agents.map((agent) => client(agent));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    stop = true;
    await Promise.all(clients);
    for (const agent of agents) agent.destroy();
    expect(errors).toEqual([]);
    // Each client's last answer told it to close the connection.
    expect(lastAnswers).toEqual(['close', 'close', 'close', 'close']);
  });
});
