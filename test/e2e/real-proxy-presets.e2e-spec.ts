import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { caddyAvailability, startCaddy, type RunningCaddy } from '../support/caddy-launcher.js';
import {
  haproxyAvailability,
  startTlsTerminatingHaproxy,
  type RunningTlsProxy,
} from '../support/haproxy-launcher.js';
import { nginxAvailability, startNginx, type RunningNginx } from '../support/nginx-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
  type PkiFile,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const haproxy = haproxyAvailability();
const caddy = caddyAvailability();
const nginx = nginxAvailability();

/** The app behind a proxy on loopback: plain HTTP, trusting the proxy by address, with a preset. */
const behind = (adapter: 'express' | 'fastify', preset: string) =>
  startApp(pki, adapter, {
    TLS_ENABLED: 'false',
    MTLS_TRUSTED_PROXIES: '127.0.0.1/32',
    MTLS_PROXY_PRESET: preset,
  });

/** A client that sends its intermediate after its leaf (MTLS_CA_FILE holds the root only). */
const withIntermediate = (): PkiFile => ({
  ...pki.clients.viaIntermediate,
  certPem:
    pki.clients.viaIntermediate.certPem +
    readFileSync(pki.bundleFile, 'utf8').split(/(?<=-----END CERTIFICATE-----\n?)/)[0],
});

describe.skipIf(!haproxy.available)('behind the real HAProxy, MTLS_PROXY_PRESET=haproxy', () => {
  describe.each(ADAPTERS)('%s app', (adapter) => {
    let app: RunningApp;
    let proxy: RunningTlsProxy;
    beforeAll(async () => {
      app = await behind(adapter, 'haproxy');
      proxy = await startTlsTerminatingHaproxy(pki.dir, {
        appPort: app.port,
        serverCertPem: pki.server.certPem,
        serverKeyPem: pki.server.keyPem,
        caFile: pki.caFile,
        ignoreErrors: true,
      });
    });
    afterAll(async () => {
      await proxy?.stop();
      await app?.close();
    });
    const via = (client?: PkiFile, headers?: Record<string, string>) =>
      call(pki, `${proxy.url}/api/whoami`, { client, headers });

    it('authenticates a client by %[ssl_c_der,base64] with ssl_c_verify 0', async () => {
      const res = await via(pki.clients.billing);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
    });

    it('accepts a client whose intermediate only its handshake carried, by %[ssl_c_chain_der,base64]', async () => {
      const res = await via(withIntermediate());
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.subject).toContain('OU=via-intermediate');
      // Without its intermediate HAProxy's own verdict (20) refuses it, as the app would.
      expect((await via(pki.clients.viaIntermediate)).body.code).toBe('MTLS_CERT_UNTRUSTED');
    });

    it.each<[ClientName, string]>([
      ['expired', 'MTLS_CERT_EXPIRED'],
      ['notYetValid', 'MTLS_CERT_NOT_YET_VALID'],
      ['unknownCa', 'MTLS_CERT_UNTRUSTED'],
      ['rogue', 'MTLS_CERT_UNTRUSTED'],
      ['selfSigned', 'MTLS_CERT_UNTRUSTED'],
    ])("refuses %s by HAProxy's ssl_c_verify number with %s", async (client, code) => {
      const res = await via(pki.clients[client]);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(code);
    });

    it('answers MTLS_CERT_MISSING without a certificate, and never lets a client smuggle the headers', async () => {
      expect((await via()).body.code).toBe('MTLS_CERT_MISSING');
      const smuggled = await via(undefined, {
        'X-SSL-Client-Cert': pki.clients.billing.x509.raw.toString('base64'),
        'X-SSL-Client-Verify': '0',
      });
      expect(smuggled.status).toBe(401);
      expect(smuggled.body.code).toBe('MTLS_CERT_MISSING');
    });
  });
});

describe.skipIf(!caddy.available)('behind the real Caddy, MTLS_PROXY_PRESET=caddy', () => {
  describe.each(ADAPTERS)('%s app', (adapter) => {
    let app: RunningApp;
    let proxy: RunningCaddy;
    beforeAll(async () => {
      app = await behind(adapter, 'caddy');
      proxy = await startCaddy(pki.dir, {
        appPort: app.port,
        serverCertFile: pki.server.certFile,
        serverKeyFile: pki.server.keyFile,
        caFile: pki.caFile,
      });
    });
    afterAll(async () => {
      await proxy?.stop();
      await app?.close();
    });
    const via = (client?: PkiFile, headers?: Record<string, string>) =>
      call(pki, `${proxy.url}/api/whoami`, { client, headers: { ...headers, host: proxy.host } });

    it('authenticates a client by {http.request.tls.client.certificate_der_base64}', async () => {
      const res = await via(pki.clients.billing);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
      expect((await via(pki.clients.notification, undefined)).body.commonName).toBe(
        'notification-service',
      );
    });

    it('validates again what Caddy verified: a certificate without clientAuth is refused by the app', async () => {
      // Go (Caddy) reads a certificate without extended key usage as fit for any use; this
      // service asks for clientAuth itself.
      const res = await via(pki.clients.noEku);
      expect(res.body.code).toBe('MTLS_CERT_INVALID_USAGE');
    });

    it('answers MTLS_CERT_MISSING without a certificate, and never lets a client smuggle the header', async () => {
      expect((await via()).body.code).toBe('MTLS_CERT_MISSING');
      const smuggled = await via(undefined, {
        'X-Client-Cert': pki.clients.billing.x509.raw.toString('base64'),
      });
      expect(smuggled.status).toBe(401);
      expect(smuggled.body.code).toBe('MTLS_CERT_MISSING');
    });
  });
});

describe.skipIf(!nginx.available)('behind the real nginx, MTLS_PROXY_PRESET=nginx', () => {
  describe.each(ADAPTERS)('%s app', (adapter) => {
    let app: RunningApp;
    let proxy: RunningNginx;
    beforeAll(async () => {
      app = await behind(adapter, 'nginx');
      proxy = await startNginx(pki.dir, {
        NGINX_CERT: pki.server.certFile,
        NGINX_KEY: pki.server.keyFile,
        CLIENT_CA: pki.caFile,
        VERIFY_CLIENT: 'optional_no_ca',
        APP_UPSTREAM: `127.0.0.1:${app.port}`,
        UPSTREAM_SCHEME: 'http',
        PROXY_CERT: pki.clients.proxy.certFile,
        PROXY_KEY: pki.clients.proxy.keyFile,
      });
    });
    afterAll(async () => {
      await proxy?.stop();
      await app?.close();
    });

    it("reads nginx's own verdict words: SUCCESS, FAILED:<OpenSSL's text>, NONE", async () => {
      const as = (client?: ClientName) =>
        call(pki, `${proxy.url}/api/whoami`, { client: client && pki.clients[client] });
      expect((await as('billing')).status).toBe(200);
      expect((await as('unknownCa')).body.code).toBe('MTLS_CERT_UNTRUSTED');
      expect((await as('selfSigned')).body.code).toBe('MTLS_CERT_UNTRUSTED');
      expect((await as()).body.code).toBe('MTLS_CERT_MISSING');
    });
  });
});
