import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MtlsHttpClient, OutboundRequestError } from 'nest-mtls-auth';
import { startApp, type RunningApp } from '../support/app-launcher.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe('the service without an outbound client certificate', () => {
  let app: RunningApp;
  beforeAll(async () => {
    const missing = join(pki.dir, 'no-such-outbound');
    app = await startApp(pki, 'express', {
      OUTBOUND_CERT_FILE: `${missing}.crt`,
      OUTBOUND_KEY_FILE: `${missing}.key`,
    });
  });
  afterAll(() => app.close());

  it('starts, and every outbound call fails with OUTBOUND_NOT_CONFIGURED naming the variables', async () => {
    const client = app.app.get(MtlsHttpClient);
    expect(client.serviceName).toBe('unconfigured');
    const call = client.getJson('https://127.0.0.1:1/anything');
    await expect(call).rejects.toBeInstanceOf(OutboundRequestError);
    await expect(call).rejects.toMatchObject({ code: 'OUTBOUND_NOT_CONFIGURED' });
    await expect(call).rejects.toThrow(/OUTBOUND_CERT_FILE and OUTBOUND_KEY_FILE/);
  });
});
