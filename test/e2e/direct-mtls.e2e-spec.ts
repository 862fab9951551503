import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe.each(ADAPTERS)('direct mTLS on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter);
  });
  afterAll(() => app.close());

  const get = (path: string, client?: ClientName) =>
    call(pki, `${app.url}${path}`, { client: client ? pki.clients[client] : undefined });

  it('serves /health without a certificate', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers 401 MTLS_CERT_MISSING with the contract error body when no certificate is sent', async () => {
    const res = await get('/api/whoami');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'MTLS_CERT_MISSING',
      message: expect.stringContaining('certificate') as string,
    });
  });

  it('returns the exact identity of a valid caller', async () => {
    const res = await get('/api/whoami', 'billing');
    const cert = pki.clients.billing.x509;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      commonName: 'billing-service',
      subject: 'CN=billing-service,OU=services,O=Test',
      issuer: 'CN=Test Root CA,O=Test',
      serialNumber: cert.serialNumber.toUpperCase(),
      fingerprint256: cert.fingerprint256,
      fingerprint: cert.fingerprint,
      dnsNames: ['billing-service'],
      uris: ['spiffe://example.test/ns/prod/sa/billing'],
      emails: [],
      ips: [],
      spiffeId: 'spiffe://example.test/ns/prod/sa/billing',
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
      source: 'tls',
    });
  });

  it.each<[ClientName, number, string]>([
    ['viaIntermediate', 401, 'MTLS_CERT_UNTRUSTED'],
    ['expired', 401, 'MTLS_CERT_EXPIRED'],
    ['notYetValid', 401, 'MTLS_CERT_NOT_YET_VALID'],
    ['unknownCa', 401, 'MTLS_CERT_UNTRUSTED'],
    ['rogue', 401, 'MTLS_CERT_UNTRUSTED'],
    ['selfSigned', 401, 'MTLS_CERT_UNTRUSTED'],
    ['serverAuthOnly', 401, 'MTLS_CERT_INVALID_USAGE'],
    ['noEku', 401, 'MTLS_CERT_INVALID_USAGE'],
    ['caAsClient', 401, 'MTLS_CERT_INVALID_USAGE'],
  ])('refuses the %s certificate with %i %s', async (client, status, code) => {
    const res = await get('/api/whoami', client);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it('lets billing-service call /api/invoices and refuses notification-service with 403', async () => {
    expect((await get('/api/invoices', 'billing')).status).toBe(200);
    const res = await get('/api/invoices', 'notification');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      code: 'MTLS_SERVICE_FORBIDDEN',
    });
  });

  it('never matches a certificate with two CN attributes by CN', async () => {
    const who = await get('/api/whoami', 'twoCn');
    expect(who.status).toBe(200);
    expect(who.body.commonName).toBeNull();
    expect((await get('/api/invoices', 'twoCn')).body.code).toBe('MTLS_SERVICE_FORBIDDEN');
  });

  it('logs each refusal once with code, CN, fingerprint and peer, and never key material', async () => {
    await get('/api/whoami', 'expired');
    const refusals = app
      .logs()
      .filter((l) => l.event === 'mtls.rejected' && l.code === 'MTLS_CERT_EXPIRED');
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.at(-1)).toMatchObject({
      cn: 'billing-service',
      fingerprint256: pki.clients.expired.x509.fingerprint256,
      peer: expect.stringContaining('127.0.0.1') as string,
    });
    expect(JSON.stringify(app.logs())).not.toContain('PRIVATE KEY');
    // LOG_REQUESTS is off by default: no request context and no line per request.
    expect(app.logs().filter((l) => l.req !== undefined || l.res !== undefined)).toEqual([]);
    expect(refusals.at(-1)).toMatchObject({ method: 'GET', url: '/api/whoami' });
  });

  it('answers 404, not 500, for unknown routes, with or without a certificate', async () => {
    expect((await get('/nope', 'billing')).status).toBe(404);
  });
});
