import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MtlsAuthService } from 'nest-mtls-auth';
import type { RunningApp } from '../support/app-launcher.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { startSample } from './sample-app.js';

const pki = useTestPki();

describe('the access policy of the sample service', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startSample(pki, 'express');
  });
  afterAll(() => app.close());

  it('is the committed one (what `npm run policy` prints for the dev callers)', async () => {
    const { billing, gateway, notification } = pki.clients;
    const matrix = await app.app.get(MtlsAuthService).accessMatrix([
      { name: 'billing-service', certificate: billing.x509 },
      { name: 'gateway-service', certificate: gateway.x509 },
      { name: 'notification-service', certificate: notification.x509 },
    ]);
    await expect(matrix.text).toMatchFileSnapshot('./access-policy.snapshot.txt');
  });
});
