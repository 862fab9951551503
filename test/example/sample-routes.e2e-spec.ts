import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_INFO } from '../../src/app-info.js';
import { ADAPTERS, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { startSample } from './sample-app.js';

const pki = useTestPki();

describe.each(ADAPTERS)('the sample routes (src/example) on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startSample(pki, adapter);
  });
  afterAll(() => app.close());

  it('serves /info without a certificate, naming the mode and adapter', async () => {
    const res = await call(pki, `${app.url}/info`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: APP_INFO.name,
      clientCertificateMode: 'allow',
      adapter,
    });
  });

  it('answers /api/whoami with the caller, /api/invoices for billing-service only', async () => {
    const whoami = await call(pki, `${app.url}/api/whoami`, { client: pki.clients.gateway });
    expect(whoami.body.commonName).toBe('gateway-service');
    const invoices = (client: 'billing' | 'notification') =>
      call(pki, `${app.url}/api/invoices`, { client: pki.clients[client] });
    expect((await invoices('billing')).status).toBe(200);
    expect((await invoices('notification')).body.code).toBe('MTLS_SERVICE_FORBIDDEN');
  });
});
