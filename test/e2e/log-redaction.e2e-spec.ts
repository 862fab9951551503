import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

// nestjs-pino keeps the first app's logger (and its redaction) for the whole process: both apps
// here share one configuration but the adapter.
describe.each(ADAPTERS)('refusal logs under custom forwarding header names on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter, {
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
    // This app's lines: those whose request context names its port.
    const ours = () =>
      app.logs().filter((l) => {
        const host = (l.req as { headers?: { host?: string } } | undefined)?.headers?.host;
        return host?.endsWith(`:${app.port}`) === true;
      });
    // LOG_REQUESTS=true: the refusal carries the request's context, and a line per request its status.
    await expect
      .poll(() =>
        ours().some((l) => l.event === 'mtls.rejected' && l.code === 'MTLS_CERT_UNTRUSTED'),
      )
      .toBe(true);
    await expect
      .poll(() =>
        ours().some((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 401),
      )
      .toBe(true);
    const text = JSON.stringify(ours());
    expect(text).not.toContain(pem.slice(30, 90));
    expect(text).not.toContain('BEGIN CERTIFICATE');
    expect(text).toContain('[Redacted]');
    expect(JSON.stringify(app.logs())).not.toContain(pem.slice(30, 90));
  });
});
