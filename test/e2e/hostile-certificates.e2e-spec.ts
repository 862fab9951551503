import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue } from 'nest-mtls-auth/testing';
import { startReplica, type Replica } from '../support/replica.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const asClient = (certPem: string, keyPem: string) => ({ certPem, keyPem }) as PkiFile;

/** A leaf sent with ten self-made CA certificates that share one subject, issuer and key. */
async function tenSameNameCas(): Promise<PkiFile> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cas = [];
  for (let i = 0; i < 10; i++) {
    cas.push(await issue(`loop-${i}`, null, { subject: 'O=Test, CN=Loop CA', ca: true, keys }));
  }
  const leaf = await issue('loop-leaf', cas[0] ?? null, { subject: 'O=Test, CN=billing-service' });
  return asClient(leaf.certPem + cas.map((c) => c.certPem).join(''), leaf.keyPem);
}

const timed = async <T>(run: () => Promise<T>) => {
  const start = performance.now();
  const result = await run();
  return { result, ms: performance.now() - start };
};

describe.each(ADAPTERS)('hostile and awkward client certificates on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter, { LOG_LEVEL: 'silent' });
    // Warm the routes up, so that the timings below measure the certificates, not the JIT.
    await call(pki, `${app.url}/health`);
    await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing });
  });
  afterAll(() => app.close());

  it('refuses ten same-name CAs sent with a leaf in under 100 ms while /health answers in under 100 ms', async () => {
    const hostile = await tenSameNameCas();
    const [loop, health] = await Promise.all([
      timed(() => call(pki, `${app.url}/api/whoami`, { client: hostile })),
      timed(() => call(pki, `${app.url}/health`)),
    ]);
    process.stdout.write(
      `ten same-name CAs (${adapter}): refused in ${loop.ms.toFixed(1)} ms, /health meanwhile ${health.ms.toFixed(1)} ms\n`,
    );
    expect(loop.result.status).toBe(401);
    expect(loop.result.body.code).toBe('MTLS_CERT_UNTRUSTED');
    expect(loop.ms).toBeLessThan(100);
    expect(health.result.status).toBe(200);
    expect(health.ms).toBeLessThan(100);
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'gives a client whose intermediate is only in its handshake the same answer on 20 resumed sessions (%s)',
    async (version) => {
      const intermediate = readFileSync(pki.bundleFile, 'utf8').split(
        /(?<=-----END CERTIFICATE-----\n)/,
      )[0];
      const agent = new Agent({
        keepAlive: false,
        ca: readFileSync(pki.caFile),
        cert: pki.clients.viaIntermediate.certPem + intermediate,
        key: pki.clients.viaIntermediate.keyPem,
        servername: 'localhost',
        maxVersion: version,
        minVersion: version,
      });
      const answers: string[] = [];
      let reused = 0;
      for (let i = 0; i < 21; i++) {
        const { status, code, resumed } = await new Promise<{
          status: number;
          code: unknown;
          resumed: boolean;
        }>((resolve, reject) => {
          const req = request(`${app.url}/api/whoami`, { agent }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                code: (JSON.parse(text) as { code?: string }).code,
                resumed: (res.socket as import('node:tls').TLSSocket).isSessionReused(),
              }),
            );
          });
          req.on('error', reject);
          req.end();
        });
        answers.push(`${status} ${String(code)}`);
        if (i > 0 && resumed) reused++;
      }
      agent.destroy();
      expect(new Set(answers)).toEqual(new Set(['200 undefined']));
      expect(reused).toBeGreaterThanOrEqual(18);
    },
  );
});

describe('a self-signed certificate with 3,000 DNS names', () => {
  let server: Replica;
  let port: number;
  beforeAll(async () => {
    server = await startReplica(pki, 'many-sans', { LOG_LEVEL: 'silent' });
    port = server.port;
  });
  afterAll(() => server.stop());

  /**
   * The server process's CPU time so far, in ms: every thread's time on a CPU, in nanoseconds
   * (Linux schedstat). The 10 ms ticks of /proc/<pid>/stat made a 2-3 ms difference read anywhere
   * from 2 to 6.5 ms over 40 connections.
   */
  const serverCpuMs = () => {
    const tasks = `/proc/${server.pid}/task`;
    let ns = 0;
    for (const tid of readdirSync(tasks)) {
      try {
        ns += Number(readFileSync(`${tasks}/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // A thread that ended between the listing and the read.
      }
    }
    return ns / 1e6;
  };

  it('costs under 5 ms of server CPU more per connection than a one-name certificate (its names are never parsed)', async () => {
    const dns = Array.from({ length: 3000 }, (_, i) => `h${i}.sans.example`);
    const many = await issue('many-sans', null, { subject: 'O=Test, CN=many-sans', dns });
    const one = await issue('one-san', null, {
      subject: 'O=Test, CN=one-san',
      dns: ['h0.sans.example'],
    });
    // /health judges a presented certificate too (details only for an authenticated caller), and
    // exists in every build of the service, the sample removed or not.
    const url = `https://127.0.0.1:${port}/health`;
    const cpu = { many: 0, one: 0 };
    const rounds = 40;
    for (let i = 0; i < rounds * 2; i++) {
      const which = i % 2 === 0 ? 'many' : 'one';
      const cert = which === 'many' ? many : one;
      const before = serverCpuMs();
      const res = await call(pki, url, { client: asClient(cert.certPem, cert.keyPem) });
      cpu[which] += serverCpuMs() - before;
      // Refused (self-signed, not pinned): the probe's answer only, no details.
      expect(res.body).toEqual({ status: 'ok' });
    }
    const extra = (cpu.many - cpu.one) / rounds;
    process.stdout.write(
      `3,000-SAN certificate: ${(cpu.many / rounds).toFixed(2)} ms of server CPU per connection, one-name: ${(cpu.one / rounds).toFixed(2)} ms (handshake included)\n`,
    );
    expect(extra).toBeLessThan(5);
  });
});
