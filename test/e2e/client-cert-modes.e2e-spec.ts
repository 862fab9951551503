import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../support/https-client.js';
import { useTestPki } from '../support/test-pki.js';

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

  it('refuses TLS renegotiation', async () => {
    app = await startApp(pki, adapter);
    const socket = connect({
      host: '127.0.0.1',
      port: app.port,
      servername: 'localhost',
      ca: readFileSync(pki.caFile),
      cert: pki.clients.billing.certPem,
      key: pki.clients.billing.keyPem,
      maxVersion: 'TLSv1.2',
    });
    await new Promise<void>((resolve, reject) =>
      socket.once('secureConnect', resolve).once('error', reject),
    );
    const outcome = await new Promise<string>((resolve) => {
      socket.on('error', () => resolve('error'));
      socket.on('close', () => resolve('closed'));
      socket.renegotiate({}, (err) => {
        if (err) resolve('error');
      });
      socket.write('GET /api/whoami HTTP/1.1\r\nHost: localhost\r\n\r\n');
    });
    socket.destroy();
    expect(['error', 'closed']).toContain(outcome);
  });
});
