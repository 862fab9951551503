import { Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { nginxAvailability, startNginx, type RunningNginx } from '../support/nginx-launcher.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const { available } = nginxAvailability();
const pki = useTestPki();

const nginxVars = (appPort: number, scheme: 'https' | 'http', verify = 'optional') => ({
  NGINX_CERT: pki.server.certFile,
  NGINX_KEY: pki.server.keyFile,
  CLIENT_CA: pki.caFile,
  VERIFY_CLIENT: verify,
  APP_UPSTREAM: `127.0.0.1:${appPort}`,
  UPSTREAM_SCHEME: scheme,
  PROXY_CERT: pki.clients.proxy.certFile,
  PROXY_KEY: pki.clients.proxy.keyFile,
});

describe.skipIf(!available)('behind the real nginx with the shipped config', () => {
  describe.each(ADAPTERS.flatMap((a) => (['https', 'http'] as const).map((s) => [a, s] as const)))(
    '%s app, nginx -> app over %s',
    (adapter, scheme) => {
      let app: RunningApp;
      let nginx: RunningNginx;
      beforeAll(async () => {
        app = await startApp(pki, adapter, {
          MTLS_TRUSTED_PROXIES: '127.0.0.1/32',
          ...(scheme === 'http' ? { TLS_ENABLED: 'false' } : {}),
        });
        nginx = await startNginx(pki.dir, nginxVars(app.port, scheme));
      });
      afterAll(async () => {
        await nginx?.stop();
        await app?.close();
      });
      const via = (client?: ClientName, path = '/api/whoami', headers?: Record<string, string>) =>
        call(pki, `${nginx.url}${path}`, {
          client: client ? pki.clients[client] : undefined,
          headers,
        });

      it('authenticates a valid client by the forwarded certificate', async () => {
        const res = await via('billing');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
        expect((await via('billing', '/api/invoices')).status).toBe(200);
        expect((await via('notification', '/api/invoices')).body.code).toBe(
          'MTLS_SERVICE_FORBIDDEN',
        );
      });

      it("answers 401 without a certificate, never authenticating as the proxy's own certificate", async () => {
        const res = await via();
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('MTLS_CERT_MISSING');
      });

      it('never lets a client smuggle its own certificate header through nginx', async () => {
        const res = await via(undefined, '/api/whoami', {
          'X-SSL-Client-Cert': encodeURIComponent(pki.clients.billing.certPem),
          'X-SSL-Client-Verify': 'SUCCESS',
        });
        expect(res.status).toBe(401);
      });

      it('keeps two clients apart over shared upstream keep-alive connections (thousands of requests)', async () => {
        const agents = (['billing', 'gateway'] as const).map(
          (name) =>
            new Agent({
              keepAlive: true,
              maxSockets: 8,
              ca: readFileSync(pki.caFile),
              cert: pki.clients[name].certPem,
              key: pki.clients[name].keyPem,
              servername: 'localhost',
            }),
        );
        const expected = ['billing-service', 'gateway-service'];
        let mixUps = 0;
        let done = 0;
        const worker = async (w: number) => {
          for (let i = 0; i < 100; i++) {
            const who = (w + i) % 2;
            const res = await call(pki, `${nginx.url}/api/whoami`, { agent: agents[who] });
            if (res.body.commonName !== expected[who]) mixUps++;
            done++;
          }
        };
        await Promise.all(Array.from({ length: 20 }, (_, w) => worker(w)));
        for (const a of agents) a.destroy();
        expect(done).toBe(2000);
        expect(mixUps).toBe(0);
      });
    },
  );

  describe.each(ADAPTERS)('%s app behind nginx with optional_no_ca', (adapter) => {
    let app: RunningApp;
    let nginx: RunningNginx;
    beforeAll(async () => {
      app = await startApp(pki, adapter, { MTLS_TRUSTED_PROXIES: '127.0.0.1/32' });
      nginx = await startNginx(pki.dir, nginxVars(app.port, 'https', 'optional_no_ca'));
    });
    afterAll(async () => {
      await nginx?.stop();
      await app?.close();
    });

    it('refuses certificates nginx let through that do not chain to the app CA', async () => {
      for (const client of ['unknownCa', 'rogue', 'selfSigned'] as const) {
        const res = await call(pki, `${nginx.url}/api/whoami`, { client: pki.clients[client] });
        expect(res.status, client).toBe(401);
        expect(res.body.code, client).toBe('MTLS_CERT_UNTRUSTED');
      }
      expect(
        (await call(pki, `${nginx.url}/api/whoami`, { client: pki.clients.billing })).status,
      ).toBe(200);
    });
  });

  describe.each(ADAPTERS)('%s app trusting nginx by its certificate identity only', (adapter) => {
    let app: RunningApp;
    let nginx: RunningNginx;
    beforeAll(async () => {
      app = await startApp(pki, adapter, { MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy' });
      nginx = await startNginx(pki.dir, nginxVars(app.port, 'https'));
    });
    afterAll(async () => {
      await nginx?.stop();
      await app?.close();
    });

    it("honours nginx's forwarded certificate, and not the same header sent straight to the app", async () => {
      const res = await call(pki, `${nginx.url}/api/whoami`, { client: pki.clients.billing });
      expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
      const spoofed = await call(pki, `${app.url}/api/whoami`, {
        headers: { 'x-ssl-client-cert': encodeURIComponent(pki.clients.billing.certPem) },
      });
      expect(spoofed.status).toBe(401);
      expect(spoofed.body.code).toBe('MTLS_CERT_MISSING');
    });
  });
});
