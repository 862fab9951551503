import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe.each(ADAPTERS)('client certificate modes and server credentials on %s', (adapter) => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('require mode fails the handshake without a certificate and serves a valid one', async () => {
    app = await startApp(pki, adapter, { MTLS_CLIENT_CERT_MODE: 'require' });
    await expect(call(pki, `${app.url}/health`)).rejects.toThrow();
    await expect(call(pki, `${app.url}/api/data`, { client: pki.clients.rogue })).rejects.toThrow();
    const res = await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing });
    expect(res.status).toBe(200);
    expect(res.body.commonName).toBe('billing-service');
  });

  it('none mode asks for no certificate, so guarded routes answer 401 MTLS_CERT_MISSING', async () => {
    app = await startApp(pki, adapter, { MTLS_CLIENT_CERT_MODE: 'none' });
    expect((await call(pki, `${app.url}/health`)).status).toBe(200);
    const res = await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('MTLS_CERT_MISSING');
  });

  it('serves with PKCS#12 credentials and a passphrase file', async () => {
    const pfx = pki.write('server.p12', '');
    const passFile = pki.write('server.pass', 'p12-secret\n');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-in',
      pki.server.certFile,
      '-inkey',
      pki.server.keyFile,
      '-out',
      pfx,
      '-passout',
      'pass:p12-secret',
    ]);
    app = await startApp(pki, adapter, { TLS_PFX_FILE: pfx, TLS_PFX_PASSPHRASE_FILE: passFile });
    expect((await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing })).status).toBe(
      200,
    );
  });

  it('refuses a certificate on the loaded CRL with 401 MTLS_CERT_REVOKED', async () => {
    app = await startApp(pki, adapter, { MTLS_CRL_FILE: pki.crlFile });
    const revoked = await call(pki, `${app.url}/api/whoami`, { client: pki.clients.revoked });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('MTLS_CERT_REVOKED');
    const valid = await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing });
    expect(valid.status).toBe(200);
  });

  it('negotiates TLS 1.2 only with forward-secret AEAD suites: a CBC-only client fails', async () => {
    app = await startApp(pki, adapter);
    const handshake = (ciphers: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({
          host: '127.0.0.1',
          port: app?.port ?? 0,
          servername: 'localhost',
          ca: readFileSync(pki.caFile),
          maxVersion: 'TLSv1.2',
          ciphers,
        });
        socket.once('secureConnect', () => {
          resolve(socket.getCipher().name);
          socket.destroy();
        });
        socket.once('error', () => resolve('refused'));
      });
    expect(await handshake('ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA')).toBe('refused');
    expect(await handshake('ECDHE-ECDSA-AES128-GCM-SHA256')).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
  });

  it(
    'refuses a TLS 1.2 renegotiation with an alert, serves nothing after it, and closes the connection',
    { timeout: 10_000 },
    async () => {
      app = await startApp(pki, adapter);
      const server = app.app.getHttpServer() as Server;
      const socket = connect({
        host: '127.0.0.1',
        port: app.port,
        servername: 'localhost',
        ca: readFileSync(pki.caFile),
        cert: pki.clients.billing.certPem,
        key: pki.clients.billing.keyPem,
        maxVersion: 'TLSv1.2',
      });
      await once(socket, 'secureConnect');
      // The connection works before the attempt: a request is served under the handshake's identity.
      socket.write('GET /api/whoami HTTP/1.1\r\nHost: localhost\r\n\r\n');
      expect(await readOneResponse(socket)).toMatch(/^HTTP\/1\.1 200 /);

      let bytesAfter = 0;
      socket.on('data', (chunk: Buffer) => (bytesAfter += chunk.length));
      const started = Date.now();
      // The refusal reaches the client as a socket error (the renegotiate callback is not called).
      const refused = new Promise<Error>((resolve) => {
        socket.once('error', resolve);
        socket.renegotiate({}, (err) => resolve(err ?? new Error('renegotiation succeeded')));
      });
      socket.write('GET /api/whoami HTTP/1.1\r\nHost: localhost\r\n\r\n');
      // OpenSSL on the server answers with a no_renegotiation alert (SSL_OP_NO_RENEGOTIATION), the
      // same on every supported Node line; the client fails and closes, and so does the server.
      expect((await refused).message).toMatch(/no renegotiation/i);
      if (!socket.closed) await once(socket, 'close');
      await expect.poll(() => connectionCount(server), { timeout: 3_000 }).toBe(0);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(bytesAfter).toBe(0);
    },
  );
});

function connectionCount(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}

/** Reads one whole HTTP/1.1 response (its headers and a Content-Length body) off the socket. */
async function readOneResponse(socket: TLSSocket): Promise<string> {
  let text = '';
  for await (const chunk of socket.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    text += chunk.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
    if (end >= 0 && length !== undefined && text.length >= end + 4 + Number(length)) return text;
  }
  return text;
}
