import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call, keepAliveAgent } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe.each(ADAPTERS)(
  'allowlist and pins from MTLS_ACCESS_FILE, changed without restart, on %s',
  (adapter) => {
    let app: RunningApp;
    let file: string;
    const write = (content: unknown) => {
      writeFileSync(`${file}.tmp`, typeof content === 'string' ? content : JSON.stringify(content));
      renameSync(`${file}.tmp`, file);
    };
    beforeAll(async () => {
      file = join(pki.dir, `access-${adapter}.json`);
      write({ allowedServices: ['billing-service'] });
      app = await startApp(pki, adapter, { MTLS_ACCESS_FILE: file });
    });
    afterAll(() => app.close());

    it('applies a new allowlist and new pins to connections that are already open', async () => {
      const notification = keepAliveAgent(pki, pki.clients.notification);
      const billing = keepAliveAgent(pki, pki.clients.billing);
      const status = async (agent: typeof billing) => {
        const res = await call(pki, `${app.url}/api/data`, { agent });
        return `${res.status} ${res.body.code ?? 'ok'}`;
      };
      expect(await status(notification)).toBe('403 MTLS_SERVICE_FORBIDDEN');
      expect(await status(billing)).toBe('200 ok');

      write({ allowedServices: ['billing-service', 'notification-service'] });
      await eventually(
        async () => (await status(notification)) === '200 ok',
        'notification allowed',
      );

      write({
        allowedServices: [],
        allowedFingerprints: [pki.clients.notification.x509.fingerprint256],
      });
      await eventually(
        async () => (await status(billing)) === '403 MTLS_FINGERPRINT_FORBIDDEN',
        'billing unpinned',
      );
      expect(await status(notification)).toBe('200 ok');
      notification.destroy();
      billing.destroy();
    });

    it('keeps the current rules when the file is edited into something invalid', async () => {
      const failuresBefore = app.logs().filter((l) => l.event === 'tls.reload_failed').length;
      write('{"allowedServices": ["a*b"]}');
      await eventually(
        () => app.logs().filter((l) => l.event === 'tls.reload_failed').length > failuresBefore,
        'the refusal logged',
      );
      expect(
        (await call(pki, `${app.url}/api/data`, { client: pki.clients.notification })).status,
      ).toBe(200);
    });
  },
);
