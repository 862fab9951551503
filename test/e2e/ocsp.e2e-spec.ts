import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { FixtureRoutesModule } from '../support/fixture-routes.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call, keepAliveAgent } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  startOcspResponder,
  type OcspResponder,
} from '../../packages/nest-mtls-auth/test/support/ocsp-responder.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe.each(ADAPTERS)('OCSP for client certificates on %s', (adapter) => {
  let responder: OcspResponder;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    responder = await startOcspResponder(
      pki,
      [pki.clients.billing, pki.clients.notification],
      [pki.clients.revoked],
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await responder.stop();
  });
  const start = async (mode: string, url: string, extra: Record<string, string> = {}) => {
    const app = await startApp(pki, adapter, {
      MTLS_OCSP: mode,
      MTLS_OCSP_URL: url,
      MTLS_OCSP_TIMEOUT_MS: '1000',
      ...extra,
    });
    apps.push(app);
    return app;
  };
  const status = async (app: RunningApp, client: ClientName) => {
    const res = await call(pki, `${app.url}/api/data`, { client: pki.clients[client] });
    return `${res.status} ${res.body.code ?? 'ok'}`;
  };

  it('the doctor asks the responder as the service does, and says so', async () => {
    const env = {
      TLS_CERT_FILE: pki.server.certFile,
      TLS_KEY_FILE: pki.server.keyFile,
      MTLS_CA_FILE: pki.caFile,
      OUTBOUND_CA_FILE: pki.caFile,
      MTLS_OCSP: 'hard',
      MTLS_OCSP_URL: responder.url,
      MTLS_OCSP_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'silent',
    };
    const report = async (client: ClientName) =>
      JSON.parse(
        (
          await runDoctor([pki.clients[client].certFile, '--json'], env, {
            features: [FixtureRoutesModule],
          })
        ).output,
      ) as DoctorReport;
    expect((await report('billing')).code).toBeUndefined();
    expect((await report('revoked')).code).toBe('MTLS_CERT_REVOKED');
    const unknown = await report('gateway');
    expect(unknown.code).toBe('MTLS_CERT_UNTRUSTED');
    expect(unknown.steps.find((s) => s.check === 'revocation')?.fix).toContain('MTLS_OCSP=soft');
  });

  it('hard: refuses revoked and unknown certificates, accepts good ones', async () => {
    const app = await start('hard', responder.url);
    expect(await status(app, 'billing')).toBe('200 ok');
    expect(await status(app, 'revoked')).toBe('401 MTLS_CERT_REVOKED');
    expect(await status(app, 'gateway')).toBe('401 MTLS_CERT_UNTRUSTED'); // the responder does not know it
  });

  it('soft: refuses only revoked certificates, and tolerates an unreachable responder', async () => {
    const app = await start('soft', responder.url);
    expect(await status(app, 'gateway')).toBe('200 ok');
    expect(await status(app, 'revoked')).toBe('401 MTLS_CERT_REVOKED');
    const unreachable = await start('soft', 'http://127.0.0.1:1');
    expect(await status(unreachable, 'billing')).toBe('200 ok');
    const hardUnreachable = await start('hard', 'http://127.0.0.1:1');
    expect(await status(hardUnreachable, 'billing')).toBe('401 MTLS_CERT_UNTRUSTED');
  });

  it('asks once per connection, then answers from the remembered result', async () => {
    const app = await start('hard', responder.url);
    const agent = keepAliveAgent(pki, pki.clients.notification);
    const started = Date.now();
    for (let i = 0; i < 20; i++)
      expect((await call(pki, `${app.url}/api/data`, { agent })).status).toBe(200);
    agent.destroy();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("checks a trusted forwarder's own certificate when its requests say on whose behalf (XFCC)", async () => {
    // The revoked certificate's CN is billing-service: trusted as a forwarder, revoked all the same.
    const app = await start('hard', responder.url, { MTLS_TRUSTED_FORWARDERS: 'billing-service' });
    const onBehalf = (client: ClientName) =>
      call(pki, `${app.url}/api/data`, {
        client: pki.clients[client],
        headers: { 'x-forwarded-client-cert': 'Hash=00;Subject="CN=original-caller"' },
      });
    expect((await onBehalf('billing')).status).toBe(200);
    expect((await onBehalf('revoked')).body.code).toBe('MTLS_CERT_REVOKED');
  });

  it('checks forwarded certificates too', async () => {
    const app = await start('hard', responder.url, {
      TLS_ENABLED: 'false',
      MTLS_TRUSTED_PROXIES: '127.0.0.1/32',
    });
    const forwarded = (name: ClientName) =>
      call(pki, `${app.url}/api/data`, {
        headers: { 'x-ssl-client-cert': encodeURIComponent(pki.clients[name].certPem) },
      });
    expect((await forwarded('billing')).status).toBe(200);
    expect((await forwarded('revoked')).body.code).toBe('MTLS_CERT_REVOKED');
  });
});
