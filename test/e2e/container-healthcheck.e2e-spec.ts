import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue } from 'nest-mtls-auth/testing';
import { freePort } from '../../scripts/lib/ports.mjs';
import { startApp, type RunningApp } from '../support/app-launcher.js';
import { serviceEnv } from '../support/service-process.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const DAY = 24 * 60 * 60 * 1000;
const PROBE = new URL('../../dist/healthcheck.js', import.meta.url).pathname;

/** Runs the image's HEALTHCHECK command (`node dist/healthcheck.js [args]`) with `env`; its exit code. */
function probe(env: Record<string, string>, args: string[] = []): Promise<number> {
  if (!existsSync(PROBE))
    throw new Error('dist/healthcheck.js is missing: run `npm run build` before the tests');
  return new Promise((resolve) => {
    execFile(process.execPath, [PROBE, ...args], { env: serviceEnv(env), timeout: 10_000 }, (err) =>
      resolve(err ? Number((err as { code?: number }).code ?? 1) : 0),
    );
  });
}

describe('the container health probe (dist/healthcheck.js)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, 'fastify', { MANAGEMENT_PORT: '0' });
  });
  afterAll(() => app.close());

  it('is healthy when /health/ready (the default) or /health/live on MANAGEMENT_PORT answers ok', async () => {
    const port = new URL(app.managementUrl ?? '').port;
    expect(await probe({ MANAGEMENT_PORT: port })).toBe(0);
    expect(await probe({ MANAGEMENT_PORT: port }, ['ready'])).toBe(0);
    expect(await probe({ MANAGEMENT_PORT: port }, ['live'])).toBe(0);
  });

  it('is unready but live when the service cannot verify any caller', async () => {
    // A bundle whose only CA has expired: the service runs, and refuses every certificate.
    const expired = await issue('expired-only-ca', null, {
      subject: 'O=Test, CN=Expired Only CA',
      ca: true,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const unready = await startApp(pki, 'fastify', {
      MANAGEMENT_PORT: '0',
      MTLS_CA_FILE: pki.write('expired-only-ca.crt', expired.certPem),
    });
    try {
      const port = new URL(unready.managementUrl ?? '').port;
      expect(await probe({ MANAGEMENT_PORT: port }, ['ready'])).toBe(1);
      expect(await probe({ MANAGEMENT_PORT: port })).toBe(1);
      expect(await probe({ MANAGEMENT_PORT: port }, ['live'])).toBe(0);
    } finally {
      await unready.close();
    }
  });

  it('refuses a probe name it does not know', async () => {
    const port = new URL(app.managementUrl ?? '').port;
    expect(await probe({ MANAGEMENT_PORT: port }, ['healthy'])).toBe(2);
  });

  it('is unhealthy when nothing answers on MANAGEMENT_PORT', async () => {
    expect(await probe({ MANAGEMENT_PORT: String(await freePort()) })).toBe(1);
  });

  it('is unhealthy when the management port answers something that is not the probe', async () => {
    const server = createServer((socket) =>
      socket.end('HTTP/1.1 503 No\r\ncontent-length: 0\r\n\r\n'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await probe({ MANAGEMENT_PORT: String(port) })).toBe(1);
    server.close();
  });

  it('without MANAGEMENT_PORT, checks only that the TLS port accepts connections', async () => {
    expect(await probe({ PORT: String(app.port) })).toBe(0);
    expect(await probe({ PORT: String(await freePort()) })).toBe(1);
  });
});
