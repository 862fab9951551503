import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue } from 'nest-mtls-auth/testing';
import { CertificateReloader } from '../../src/tls/certificate-reloader.service.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call, jsonBody } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const DAY = 24 * 60 * 60 * 1000;
const PROBES = ['/health/live', '/health/ready', '/health'] as const;

interface Note {
  readonly name: string;
  readonly state: string;
  readonly message: string;
}

/** The log lines of `event` that every app of this file has written so far. */
const events = (app: RunningApp, event: string) => app.logs().filter((l) => l.event === event);

/**
 * GET over HTTPS without a client certificate that takes whatever certificate the server presents
 * (as a kubelet's HTTPS probe does), and says why a verifying client would have refused it.
 */
function probeMain(
  url: string,
): Promise<{ status: number; body: Record<string, unknown>; authorizationError?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { rejectUnauthorized: false, servername: 'localhost', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const socket = res.socket as import('node:tls').TLSSocket;
        const authorizationError = socket.authorizationError
          ? String(socket.authorizationError)
          : undefined;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: jsonBody(chunks), authorizationError }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Fingerprint of the certificate the server presents to a new connection. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        resolve(s.getPeerX509Certificate()?.fingerprint256 ?? '');
        s.destroy();
      },
    );
    s.on('error', reject);
  });
}

describe.each(ADAPTERS)('probes with an expired outbound certificate on %s', (adapter) => {
  let app: RunningApp;
  let outbound: PkiFile;
  beforeAll(async () => {
    // A subject per adapter: every app of this file logs to one stream.
    outbound = await pki.issueClient(`expired-outbound-${adapter}`, {
      subject: `O=Test, OU=services, CN=outbound-${adapter}`,
      dns: [`outbound-${adapter}`],
      notBefore: new Date(Date.now() - 100 * DAY),
      notAfter: new Date(Date.now() - 5 * DAY),
    });
    app = await startApp(pki, adapter, {
      OUTBOUND_CERT_FILE: outbound.certFile,
      OUTBOUND_KEY_FILE: outbound.keyFile,
      MANAGEMENT_PORT: '0',
    });
  });
  afterAll(() => app.close());

  it('stays live and ready on both ports, /health included', async () => {
    for (const base of [app.url, app.managementUrl ?? '']) {
      for (const path of PROBES) {
        const res = await call(pki, `${base}${path}`);
        expect(res.status, `${base}${path}`).toBe(200);
        expect(res.body.status, `${base}${path}`).toBe('ok');
      }
    }
    // A caller who may not see details learns up or down, nothing about the certificates.
    expect((await call(pki, `${app.url}/health/ready`)).body).toEqual({ status: 'ok' });
    expect((await call(pki, `${app.url}/health/live`)).body).toEqual({ status: 'ok' });
    expect((await call(pki, `${app.url}/health`)).body).toEqual({ status: 'ok' });
  });

  it('names the outbound certificate as a warning in the readiness details and in /health', async () => {
    const ready = await call(pki, `${app.managementUrl}/health/ready`);
    expect(ready.body).toEqual({
      status: 'ok',
      warnings: [
        {
          name: 'outbound',
          state: 'expired',
          message: expect.stringContaining('OUTBOUND_CERT_FILE') as string,
        },
      ],
    });
    // An authenticated caller that the allowlist accepts sees the same on the main port.
    const asCaller = await call(pki, `${app.url}/health/ready`, { client: pki.clients.billing });
    expect((asCaller.body.warnings as Note[]).map((w) => w.name)).toEqual(['outbound']);
    const health = await call(pki, `${app.managementUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      details: {
        certificates: {
          status: 'up',
          warning: true,
          outbound: {
            state: 'expired',
            notAfter: new Date(outbound.x509.validTo).toISOString(),
          },
          server: { state: 'ok' },
        },
      },
    });
  });

  it('says so in the expiry metric and in a log line', async () => {
    const metrics = String((await call(pki, `${app.managementUrl}/metrics`)).body.raw);
    expect(metrics).toMatch(/mtls_certificate_expiry_days\{certificate="outbound"\} -[56]\n/);
    expect(events(app, 'cert.expiring')).toContainEqual(
      expect.objectContaining({
        name: 'outbound',
        subject: `O=Test, OU=services, CN=outbound-${adapter}`,
        state: 'expired',
        level: 40,
      }),
    );
    expect(events(app, 'health.not_ready')).toEqual([]);
  });
});

describe.each(ADAPTERS)(
  'probes when the server certificate expires while running on %s',
  (adapter) => {
    let app: RunningApp;
    let live: string;
    /** Puts a certificate and key in place as a secret update does (atomic renames), then reloads. */
    const serve = (certPem: string, keyPem: string) => {
      writeFileSync(join(live, '.server.key.tmp'), keyPem);
      writeFileSync(join(live, '.server.crt.tmp'), certPem);
      renameSync(join(live, '.server.key.tmp'), join(live, 'server.key'));
      renameSync(join(live, '.server.crt.tmp'), join(live, 'server.crt'));
      return app.app.get(CertificateReloader).reload('test', true);
    };

    beforeAll(async () => {
      live = join(pki.dir, `probes-server-${adapter}`);
      mkdirSync(live, { recursive: true });
      copyFileSync(pki.server.certFile, join(live, 'server.crt'));
      copyFileSync(pki.server.keyFile, join(live, 'server.key'));
      app = await startApp(pki, adapter, {
        TLS_CERT_FILE: join(live, 'server.crt'),
        TLS_KEY_FILE: join(live, 'server.key'),
        MANAGEMENT_PORT: '0',
      });
    });
    afterAll(() => app.close());

    it('is ready until the server certificate expires, then answers 503 to readiness and 200 to liveness, on both ports', async () => {
      // The service refuses to start, or to reload, with an expired server certificate: this one
      // expires about 3 s after it is put in force (X.509 times are whole seconds).
      const short = await pki.issueClient(`short-server-${adapter}`, {
        subject: 'O=Test, OU=short-lived, CN=localhost',
        dns: ['localhost'],
        ips: ['127.0.0.1', '::1'],
        eku: ['serverAuth'],
        notAfter: new Date(Date.now() + 3_000),
      });
      expect(serve(short.certPem, short.keyPem)).toBe(true);
      expect(await servedFingerprint(app.port)).toBe(short.x509.fingerprint256);
      const before = await call(pki, `${app.managementUrl}/health/ready`);
      expect(before.status).toBe(200);
      expect((before.body.warnings as Note[]).map((w) => [w.name, w.state])).toEqual([
        ['server', 'warning'],
      ]);

      await eventually(
        async () => (await call(pki, `${app.managementUrl}/health/ready`)).status === 503,
        'readiness to fail once the server certificate expired',
        8_000,
      );
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(short.x509.validTo));

      const ready = await call(pki, `${app.managementUrl}/health/ready`);
      expect(ready.body).toMatchObject({
        status: 'error',
        reasons: [
          {
            name: 'server',
            state: 'expired',
            message: expect.stringContaining('TLS_CERT_FILE') as string,
          },
        ],
      });
      expect(await call(pki, `${app.managementUrl}/health/live`)).toMatchObject({
        status: 200,
        body: { status: 'ok' },
      });
      const health = await call(pki, `${app.managementUrl}/health`);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'error',
        error: { certificates: { status: 'down', server: { state: 'expired' } } },
      });

      // The main port serves the expired certificate: a verifying client refuses it, a probe that
      // does not verify (the kubelet's) reads the same answers as on the management port.
      const main = await probeMain(`${app.url}/health/live`);
      expect(main).toEqual({
        status: 200,
        body: { status: 'ok' },
        authorizationError: 'CERT_HAS_EXPIRED',
      });
      expect(await probeMain(`${app.url}/health/ready`)).toMatchObject({
        status: 503,
        body: { status: 'error' },
      });
      expect(await probeMain(`${app.url}/health`)).toMatchObject({
        status: 503,
        body: { status: 'error' },
      });
      await expect(call(pki, `${app.url}/health/live`)).rejects.toThrow(/expired/);

      expect(events(app, 'health.not_ready')).toContainEqual(
        expect.objectContaining({
          level: 50,
          reasons: [expect.objectContaining({ name: 'server', state: 'expired' })],
        }),
      );
    });

    it('is ready again once a current server certificate is in place', async () => {
      const recovered = events(app, 'health.ready').length;
      expect(serve(pki.server.certPem, pki.server.keyPem)).toBe(true);
      const ready = await call(pki, `${app.managementUrl}/health/ready`);
      expect(ready).toMatchObject({ status: 200, body: { status: 'ok', warnings: [] } });
      expect((await call(pki, `${app.url}/health/ready`)).body).toEqual({ status: 'ok' });
      expect(events(app, 'health.ready').length).toBe(recovered + 1);
    });
  },
);

describe.each(ADAPTERS)('readiness and the CA bundle on %s', (adapter) => {
  let app: RunningApp;
  let live: string;
  let expiredCa: string;
  const caName = `Expired Probe CA ${adapter}`;

  beforeAll(async () => {
    const old = await issue(`expired-ca-${adapter}`, null, {
      subject: `O=Test, CN=${caName}`,
      ca: true,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    });
    expiredCa = old.certPem;
    live = join(pki.dir, `probes-trust-${adapter}`);
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'ca.crt'), expiredCa + readFileSync(pki.caFile, 'utf8'));
    app = await startApp(pki, adapter, {
      MTLS_CA_FILE: join(live, 'ca.crt'),
      MANAGEMENT_PORT: '0',
    });
  });
  afterAll(() => app.close());

  it('stays ready with a warning when an expired CA sits beside a current one', async () => {
    const ready = await call(pki, `${app.managementUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect((ready.body.warnings as Note[]).map((w) => [w.name, w.state])).toEqual([
      [`client-ca:${caName}`, 'expired'],
    ]);
    // Its callers are served: the current CA still verifies them.
    expect((await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing })).status).toBe(
      200,
    );
  });

  it('is not ready, and still live, when no CA of the bundle is valid', async () => {
    writeFileSync(join(live, '.ca.crt.tmp'), expiredCa);
    renameSync(join(live, '.ca.crt.tmp'), join(live, 'ca.crt'));
    expect(app.app.get(CertificateReloader).reload('test', true)).toBe(true);
    const ready = await call(pki, `${app.managementUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      reasons: [{ name: 'trust', state: 'none-valid' }],
    });
    expect((await call(pki, `${app.url}/health/ready`)).status).toBe(503);
    expect((await call(pki, `${app.url}/health/live`)).status).toBe(200);
    expect((await call(pki, `${app.managementUrl}/health/live`)).status).toBe(200);
  });
});
