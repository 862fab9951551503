import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const DAY = 24 * 60 * 60 * 1000;

describe.each(ADAPTERS)('health and metrics on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter, {
      // An outbound certificate 10 days from expiry: the warning state.
      OUTBOUND_CERT_FILE: pki.clients.expiresSoon.certFile,
      OUTBOUND_KEY_FILE: pki.clients.expiresSoon.keyFile,
    });
  });
  afterAll(() => app.close());

  it('tells a caller without a certificate only up or down', async () => {
    const res = await call(pki, `${app.url}/health`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    const untrusted = await call(pki, `${app.url}/health`, { client: pki.clients.rogue });
    expect(untrusted.body).toEqual({ status: 'ok' });
  });

  it('reports days until expiry of every certificate to an authenticated caller, computed from their real dates', async () => {
    const res = await call(pki, `${app.url}/health`, { client: pki.clients.billing });
    expect(res.status).toBe(200);
    const certs = (res.body as { details: { certificates: Record<string, unknown> } }).details
      .certificates;
    const days = (validTo: string) => Math.floor((Date.parse(validTo) - Date.now()) / DAY);
    expect(certs.server).toMatchObject({
      state: 'ok',
      daysRemaining: days(pki.server.x509.validTo),
    });
    expect(certs['client-ca:Test Root CA']).toMatchObject({ state: 'ok' });
    expect(certs.outbound).toMatchObject({
      state: 'warning',
      daysRemaining: days(pki.clients.expiresSoon.x509.validTo),
    });
    expect([9, 10]).toContain((certs.outbound as { daysRemaining: number }).daysRemaining);
    expect(certs.warning).toBe(true);
  });

  it('exposes expiry gauges and authentication outcomes by reason code and source', async () => {
    await call(pki, `${app.url}/api/whoami`, { client: pki.clients.billing });
    await call(pki, `${app.url}/api/whoami`, { client: pki.clients.expired });
    const res = await call(pki, `${app.url}/metrics`);
    expect(res.status).toBe(200);
    const text = String(res.body.raw);
    expect(text).toMatch(/mtls_certificate_expiry_days\{certificate="outbound"\} (9|10)\n/);
    expect(text).toMatch(
      /mtls_auth_outcomes_total\{result="authenticated",code="none",source="tls"\} [1-9]/,
    );
    expect(text).toMatch(
      /mtls_auth_outcomes_total\{result="rejected",code="MTLS_CERT_EXPIRED",source="tls"\} [1-9]/,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe.each(ADAPTERS)('health details and the service-wide allowlist on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter, {
      MTLS_ALLOWED_SERVICES: 'billing-service',
      MANAGEMENT_PORT: '0',
    });
  });
  afterAll(() => app.close());

  it('shows details only to a caller the allowlist accepts; others get up or down, same status', async () => {
    const refused = await call(pki, `${app.url}/health`, { client: pki.clients.notification });
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ status: 'ok' });
    // The same caller is refused by the allowlist on a guarded route: that is who it is.
    expect(
      (await call(pki, `${app.url}/api/whoami`, { client: pki.clients.notification })).body.code,
    ).toBe('MTLS_SERVICE_FORBIDDEN');
    const allowed = await call(pki, `${app.url}/health`, { client: pki.clients.billing });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({
      status: 'ok',
      details: { certificates: { 'client-ca:Test Root CA': { state: 'ok' } } },
    });
    // The management port keeps the details for everyone who can reach it.
    expect((await call(pki, `${app.managementUrl}/health`)).body).toMatchObject({
      details: { certificates: {} },
    });
  });
});

describe.each(ADAPTERS)('MANAGEMENT_PORT on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter, {
      MTLS_CLIENT_CERT_MODE: 'require',
      MANAGEMENT_PORT: '0',
    });
  });
  afterAll(() => app.close());

  it('serves the probes and /metrics over plain HTTP to probes without a certificate, and nothing else', async () => {
    const health = await call(pki, `${app.managementUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', details: { certificates: {} } });
    expect((await call(pki, `${app.managementUrl}/health/live`)).body).toEqual({ status: 'ok' });
    expect((await call(pki, `${app.managementUrl}/health/ready`)).body).toEqual({
      status: 'ok',
      warnings: [],
    });
    expect(String((await call(pki, `${app.managementUrl}/metrics`)).body.raw)).toContain(
      'mtls_certificate_expiry_days',
    );
    expect((await call(pki, `${app.managementUrl}/api/whoami`)).status).toBe(404);
    // The main port still demands a certificate in the handshake, and no longer serves metrics.
    await expect(call(pki, `${app.url}/health`)).rejects.toThrow();
    await expect(call(pki, `${app.url}/health/live`)).rejects.toThrow();
    const metrics = await call(pki, `${app.url}/metrics`, { client: pki.clients.billing });
    expect(metrics.status).toBe(404);
  });
});

describe.each(ADAPTERS)('where /metrics is served on %s', (adapter) => {
  /** The status of /metrics on the main port and, when there is one, the management port. */
  async function metricsStatus(env: Record<string, string>) {
    const app = await startApp(pki, adapter, env);
    try {
      const main = await call(pki, `${app.url}/metrics`, { client: pki.clients.billing });
      const management = app.managementUrl
        ? (await call(pki, `${app.managementUrl}/metrics`)).status
        : undefined;
      return { main: main.status, management, message: main.body.message };
    } finally {
      await app.close();
    }
  }

  it('serves the main port without MANAGEMENT_PORT outside production', async () => {
    expect(await metricsStatus({ NODE_ENV: 'development' })).toMatchObject({ main: 200 });
  });

  it('does not serve the main port in production unless METRICS_ON_MAIN_PORT=true', async () => {
    expect(await metricsStatus({ NODE_ENV: 'production' })).toEqual({
      main: 404,
      management: undefined,
      message:
        'Metrics are not served on this port: set MANAGEMENT_PORT, or METRICS_ON_MAIN_PORT=true.',
    });
    expect(
      await metricsStatus({ NODE_ENV: 'production', METRICS_ON_MAIN_PORT: 'true' }),
    ).toMatchObject({ main: 200 });
  });

  it('serves the management port only when MANAGEMENT_PORT is set, unless METRICS_ON_MAIN_PORT=true', async () => {
    expect(await metricsStatus({ MANAGEMENT_PORT: '0' })).toMatchObject({
      main: 404,
      management: 200,
    });
    expect(
      await metricsStatus({ MANAGEMENT_PORT: '0', METRICS_ON_MAIN_PORT: 'true' }),
    ).toMatchObject({ main: 200, management: 200 });
  });
});
