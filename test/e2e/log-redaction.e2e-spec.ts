import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../support/https-client.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

// One app per file: nestjs-pino keeps the first app's logger for the whole process.
describe('refusal logs under custom forwarding header names', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, 'express', {
      TLS_ENABLED: 'false',
      MTLS_TRUSTED_PROXIES: '127.0.0.1/32',
      MTLS_CERT_HEADER: 'X-Client-Certificate',
      MTLS_VERIFY_HEADER: 'X-Client-Verdict',
      // Request context on every line (the request's headers among it): what redaction protects.
      LOG_REQUESTS: 'true',
    });
  });
  afterAll(() => app.close());

  it('never write the forwarded certificate, whatever header carries it', async () => {
    const pem = encodeURIComponent(pki.clients.rogue.certPem);
    const res = await call(pki, `${app.url}/api/whoami`, {
      headers: {
        'x-client-certificate': pem,
        'x-client-verdict': 'SUCCESS',
        'x-forwarded-client-cert': `Hash=abc;Cert="${pem}"`,
      },
    });
    expect(res.body.code).toBe('MTLS_CERT_UNTRUSTED');
    const refusal = () =>
      app.logs().find((l) => l.event === 'mtls.rejected' && l.code === 'MTLS_CERT_UNTRUSTED');
    await expect.poll(refusal).toBeDefined();
    const text = JSON.stringify(app.logs());
    expect(text).not.toContain(pem.slice(30, 90));
    expect(text).not.toContain('BEGIN CERTIFICATE');
    expect(text).toContain('[Redacted]');
    // LOG_REQUESTS=true: a line per request, with its status.
    await expect
      .poll(() =>
        app.logs().some((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 401),
      )
      .toBe(true);
  });
});
