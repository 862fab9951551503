/**
 * The model for testing your own routes: copy this file next to your feature (say
 * `test/features/orders.e2e-spec.ts`), import your module instead of PaymentsModule, and state
 * who may call what. It uses only `nest-mtls-auth/testing`: a test PKI in a temporary folder,
 * your module on real HTTPS with mutual TLS (both adapters, port 0), and requests as each caller,
 * directly or forwarded by a trusted proxy as nginx forwards them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki,
  startTestApp,
  TEST_ADAPTERS,
  type TestApp,
  type TestCertificate,
  type TestPki,
} from 'nest-mtls-auth/testing';
import { PaymentsModule } from './payments.module.js';

const HOUR = 60 * 60 * 1000;

let pki: TestPki;
let billing: TestCertificate;
let prodWorker: TestCertificate;
let notification: TestCertificate;
let expired: TestCertificate;
let impostor: TestCertificate;

// One PKI for the file: the callers your route must accept, and those it must refuse.
beforeAll(async () => {
  pki = await createTestPki();
  billing = await pki.issue('billing-service', { dns: ['billing.internal.example'] });
  prodWorker = await pki.issue('payments-worker', {
    uris: ['spiffe://example.org/ns/prod/sa/payments-worker'],
  });
  notification = await pki.issue('notification-service');
  expired = await pki.issue('billing-service', {
    notBefore: new Date(Date.now() - 48 * HOUR),
    notAfter: new Date(Date.now() - HOUR),
  });
  impostor = await pki.issue('billing-service', { untrusted: true });
});
afterAll(() => pki.cleanup());

describe.each(TEST_ADAPTERS)('the payments routes on %s', (adapter) => {
  let app: TestApp;
  beforeAll(async () => {
    // Your module, with MtlsAuthModule trusting the test CA (pass `mtls: { allowedServices }` and
    // the other module options as your service sets them).
    app = await startTestApp({ pki, adapter, imports: [PaymentsModule] });
  });
  afterAll(() => app.close());

  it('lists the payments for billing-service, presenting its certificate', async () => {
    const res = await app.as(billing).get('/payments');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ servedTo: 'billing-service', source: 'tls' });
  });

  it('serves any SPIFFE ID under spiffe://example.org/ns/prod/', async () => {
    const res = await app.as(prodWorker).get('/payments');
    expect(res.status).toBe(200);
    expect(res.body.servedTo).toBe('spiffe://example.org/ns/prod/sa/payments-worker');
  });

  it('creates a payment from a JSON body', async () => {
    const res = await app.as(billing).post('/payments', { amount: 42 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'PAY-2', amount: 42, createdBy: 'billing-service' });
  });

  it('refuses a caller without a certificate with 401 MTLS_CERT_MISSING', async () => {
    const res = await app.anonymous().get('/payments');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('MTLS_CERT_MISSING');
  });

  it('refuses an expired certificate and one from a CA the service does not trust', async () => {
    expect((await app.as(expired).get('/payments')).body.code).toBe('MTLS_CERT_EXPIRED');
    expect((await app.as(impostor).get('/payments')).body.code).toBe('MTLS_CERT_UNTRUSTED');
  });

  it('refuses a valid caller the route does not allow with 403 MTLS_SERVICE_FORBIDDEN', async () => {
    const res = await app.as(notification).get('/payments');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
  });

  it('judges a caller forwarded by the trusted proxy as it judges a direct one', async () => {
    const res = await app.viaProxy(billing).get('/payments');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ servedTo: 'billing-service', source: 'forwarded' });
    expect((await app.viaProxy(notification).get('/payments')).status).toBe(403);
  });

  it('serves the @Public() status route to anyone', async () => {
    expect((await app.anonymous().get('/payments/status')).body).toEqual({ status: 'up' });
  });
});
