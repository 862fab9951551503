import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
let shared: Record<string, unknown>[] = [];

/** The forwarded header of a caller as nginx sends it (`$ssl_client_escaped_cert`). */
const forwarded = (name: ClientName) => ({
  'x-ssl-client-cert': encodeURIComponent(pki.clients[name].certPem),
  'x-ssl-client-verify': 'SUCCESS',
});

describe.each(ADAPTERS)('report-only authorization on %s', (adapter) => {
  let app: RunningApp | undefined;
  // Every app of this file writes to one log capture: this app's lines are those after its start.
  let firstLine = 0;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const start = async (env: Record<string, string>) => {
    firstLine = shared.length;
    app = await startApp(pki, adapter, env);
    shared = app.logs();
    return app;
  };
  const logs = () => (app?.logs() ?? []).slice(firstLine);
  const status = async (client: ClientName | undefined, path: string) => {
    const res = await call(pki, `${app?.url}${path}`, {
      client: client ? pki.clients[client] : undefined,
    });
    return `${res.status} ${res.body.code ?? 'ok'}`;
  };
  const wouldReject = (fingerprint: string) =>
    logs().filter((l) => l.event === 'mtls.would_reject' && l.fingerprint256 === fingerprint);
  const metric = async () => {
    const res = await fetch(`${app?.managementUrl}/metrics`);
    return (await res.text()).split('\n').filter((l) => l.startsWith('mtls_would_reject_total'));
  };

  it('MTLS_ENFORCEMENT=report-only lets a caller the allowlist refuses through, logs it once per route, counts every request; 401s stay 401', async () => {
    app = await start({
      MTLS_ENFORCEMENT: 'report-only',
      MTLS_ALLOWED_SERVICES: 'gateway-service',
      MANAGEMENT_PORT: '0',
    });
    const fp = pki.clients.notification.x509.fingerprint256;
    expect(await status('notification', '/api/data')).toBe('200 ok');
    expect(await status('notification', '/api/data')).toBe('200 ok');
    expect(await status('notification', '/api/invoices')).toBe('200 ok');
    expect(await status('gateway', '/api/data')).toBe('200 ok');
    const lines = wouldReject(fp);
    expect(lines.map((l) => l.route).sort()).toEqual(['GET /api/data', 'GET /api/invoices']);
    expect(lines[0]).toMatchObject({ code: 'MTLS_SERVICE_FORBIDDEN', cn: 'notification-service' });
    expect(wouldReject(pki.clients.gateway.x509.fingerprint256)).toEqual([]);
    expect(await metric()).toEqual(
      expect.arrayContaining([
        'mtls_would_reject_total{code="MTLS_SERVICE_FORBIDDEN",route="GET /api/data"} 2',
        'mtls_would_reject_total{code="MTLS_SERVICE_FORBIDDEN",route="GET /api/invoices"} 1',
      ]),
    );
    // Authentication is never relaxed.
    expect(await status(undefined, '/api/data')).toBe('401 MTLS_CERT_MISSING');
    expect(await status('expired', '/api/data')).toBe('401 MTLS_CERT_EXPIRED');
    expect(await status('unknownCa', '/api/data')).toBe('401 MTLS_CERT_UNTRUSTED');
    expect(await status('serverAuthOnly', '/api/data')).toBe('401 MTLS_CERT_INVALID_USAGE');
    expect(logs().some((l) => l.event === 'mtls.report_only' && l.everywhere === true)).toBe(true);
  });

  it('report-only covers the pins too, with MTLS_FINGERPRINT_FORBIDDEN as the would-be code', async () => {
    app = await start({
      MTLS_ENFORCEMENT: 'report-only',
      MTLS_ALLOWED_FINGERPRINTS: pki.clients.gateway.x509.fingerprint256,
    });
    expect(await status('billing', '/api/whoami')).toBe('200 ok');
    expect(wouldReject(pki.clients.billing.x509.fingerprint256)[0]).toMatchObject({
      code: 'MTLS_FINGERPRINT_FORBIDDEN',
      route: 'GET /api/whoami',
    });
    expect(await status('gateway', '/api/whoami')).toBe('200 ok');
  });

  it("a route's own { enforcement: 'report-only' } relaxes that route only", async () => {
    app = await start({ MANAGEMENT_PORT: '0' });
    expect(await status('gateway', '/api/preview')).toBe('200 ok');
    expect(await status('gateway', '/api/invoices')).toBe('403 MTLS_SERVICE_FORBIDDEN');
    expect(await status('billing', '/api/preview')).toBe('200 ok');
    expect(wouldReject(pki.clients.gateway.x509.fingerprint256).map((l) => l.route)).toEqual([
      'GET /api/preview',
    ]);
    expect(await metric()).toEqual([
      'mtls_would_reject_total{code="MTLS_SERVICE_FORBIDDEN",route="GET /api/preview"} 1',
    ]);
    const warning = logs().find((l) => l.event === 'mtls.report_only');
    expect(warning).toMatchObject({ everywhere: false, routes: ['GET /api/preview'] });
  });

  it('judges a forwarded caller the same way, through the trusted proxy', async () => {
    app = await start({
      MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
      MTLS_ENFORCEMENT: 'report-only',
      MTLS_ALLOWED_SERVICES: 'gateway-service',
    });
    const res = await call(pki, `${app.url}/api/whoami`, {
      client: pki.clients.proxy,
      headers: forwarded('notification'),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ commonName: 'notification-service', source: 'forwarded' });
    expect(wouldReject(pki.clients.notification.x509.fingerprint256)[0]).toMatchObject({
      source: 'forwarded',
      route: 'GET /api/whoami',
    });
  });
});

describe.each(ADAPTERS)('GET /callers on the management listener on %s', (adapter) => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('shows the callers of a test, their routes and counts; the main port answers 404', async () => {
    app = await startApp(pki, adapter, {
      MANAGEMENT_PORT: '0',
      MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
    });
    const get = (client: ClientName, path: string) =>
      call(pki, `${app?.url}${path}`, { client: pki.clients[client] });
    await get('billing', '/api/invoices');
    await get('billing', '/api/invoices');
    await get('billing', '/api/data');
    await get('notification', '/api/invoices'); // 403
    await get('gateway', '/api/preview'); // would be refused
    await get('expired', '/api/data'); // 401: not an identity
    await call(pki, `${app.url}/api/data`, {
      client: pki.clients.proxy,
      headers: forwarded('gateway'),
    });

    const res = await fetch(`${app.managementUrl}/callers`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      capacity: number;
      callers: {
        commonName: string;
        spiffeId: string | null;
        fingerprint256: string;
        requests: number;
        firstSeen: string;
        lastSeen: string;
        routes: Record<string, unknown>[];
      }[];
    };
    expect(body.capacity).toBe(10_000);
    const byName = Object.fromEntries(body.callers.map((c) => [c.commonName, c]));
    expect(Object.keys(byName).sort()).toEqual([
      'billing-service',
      'gateway-service',
      'notification-service',
    ]);
    expect(byName['billing-service']).toMatchObject({
      spiffeId: 'spiffe://example.test/ns/prod/sa/billing',
      fingerprint256: pki.clients.billing.x509.fingerprint256,
      requests: 3,
      routes: [
        { route: 'GET /api/data', controller: 'FixtureController', allowed: 1, refused: 0 },
        { route: 'GET /api/invoices', allowed: 2, refused: 0, wouldRefuse: 0 },
      ],
    });
    expect(byName['notification-service']?.routes).toEqual([
      {
        route: 'GET /api/invoices',
        controller: 'FixtureController',
        allowed: 0,
        refused: 1,
        wouldRefuse: 0,
      },
    ]);
    // Direct and forwarded requests of one certificate are one caller.
    expect(byName['gateway-service']).toMatchObject({
      requests: 2,
      routes: [
        { route: 'GET /api/data', allowed: 1 },
        { route: 'GET /api/preview', allowed: 0, wouldRefuse: 1 },
      ],
    });
    expect(Date.parse(byName['billing-service']?.lastSeen ?? '')).toBeGreaterThanOrEqual(
      Date.parse(byName['billing-service']?.firstSeen ?? ''),
    );
    expect((await get('billing', '/callers')).status).toBe(404);

    // What the doctor makes of it: the lines that admit exactly the callers served.
    const file = pki.write(`callers-${adapter}.json`, JSON.stringify(body));
    for (const from of [`${app.managementUrl}/callers`, file]) {
      const { output, status } = await runDoctor(
        ['--suggest-allowlist', '--from', from],
        {},
        { features: [] },
      );
      expect(status).toBe(0);
      expect(output).toContain(
        "// FixtureController: GET /api/data, GET /api/invoices, GET /api/preview\n@AllowServices('gateway-service', 'spiffe://example.test/ns/prod/sa/billing')",
      );
      expect(output).toContain(
        'MTLS_ALLOWED_SERVICES=gateway-service,spiffe://example.test/ns/prod/sa/billing',
      );
      expect(output).toContain(
        '// Seen but always refused, not admitted: spiffe://example.test/ns/staging/sa/notification',
      );
    }
  });
});
