import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.mjs';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { fixtureServer, serviceEnv } from '../support/service-process.js';

const pki = useTestPki();

/** Starts the built service (as `node dist/main.js` does) with `env`; its exit code and stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const script = fixtureServer();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], {
      env: serviceEnv({
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        TLS_CERT_FILE: pki.server.certFile,
        TLS_KEY_FILE: pki.server.keyFile,
        MTLS_CA_FILE: pki.caFile,
        ...env,
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const kill = setTimeout(() => child.kill(), 20_000);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

describe('start-up errors a user can fix read as one line naming the variable', () => {
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => taken.close());

  it.each([
    ['PORT in use', () => ({ PORT: String(takenPort) }), /^PORT=\d+: the port is already in use/],
    [
      'MANAGEMENT_PORT in use',
      async () => ({ PORT: String(await freePort()), MANAGEMENT_PORT: String(takenPort) }),
      /^MANAGEMENT_PORT=\d+: the port is already in use/,
    ],
    [
      'a missing MTLS_ACCESS_FILE',
      async () => ({
        PORT: String(await freePort()),
        MTLS_ACCESS_FILE: '/nonexistent/access.json',
      }),
      /^MTLS_ACCESS_FILE=\/nonexistent\/access\.json: cannot read the file \(no such file\)/,
    ],
    [
      'a TLS_TICKET_KEYS_FILE that holds no 48-byte key',
      async () => {
        const file = join(pki.dir, 'bad-ticket-keys');
        writeFileSync(file, '# a password is not a key\nhunter2\n');
        return { PORT: String(await freePort()), TLS_TICKET_KEYS_FILE: file };
      },
      /^TLS_TICKET_KEYS_FILE=.*bad-ticket-keys: line 2 is not a 48-byte key in base64 or hex \(make one with: openssl rand -base64 48\)\.$/,
    ],
    [
      'a CA certificate as the server certificate',
      async () => ({
        PORT: String(await freePort()),
        TLS_CERT_FILE: pki.caFile,
        TLS_KEY_FILE: pki.caKeyFile,
      }),
      /^TLS_CERT_FILE=.*ca\.crt: the first certificate is a CA certificate \(basicConstraints CA:TRUE\), .*Set it to the server's own certificate, followed by its chain\.$/,
    ],
  ])('%s', async (_name, env, message) => {
    const { code, stderr } = await start(await env());
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(1);
  });
});

describe('proxy ranges that trust every IPv4 peer stop the start-up', () => {
  it.each(['::ffff:0:0/96', '0.0.0.0/1,128.0.0.0/1', '::/1,8000::/1'])(
    'MTLS_TRUSTED_PROXIES=%s',
    async (cidrs) => {
      const { code, stderr } = await start({
        PORT: String(await freePort()),
        MTLS_TRUSTED_PROXIES: cidrs,
      });
      expect(code).toBe(1);
      // One problem under the configuration heading: the variable, its value, why, and the fix.
      const [heading, problem, ...rest] = stderr.split('\n');
      expect(heading).toBe('Invalid configuration:');
      expect(problem).toContain(
        `  - MTLS_TRUSTED_PROXIES="${cidrs}": together they trust 2^32 IPv4 addresses`,
      );
      expect(problem).toContain("Fix: give the proxies' own addresses");
      expect(rest).toEqual([]);
    },
  );
});
