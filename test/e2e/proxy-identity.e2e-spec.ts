import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const forwarded = (name: ClientName) => ({
  'x-ssl-client-cert': encodeURIComponent(pki.clients[name].certPem),
  'x-ssl-client-verify': 'SUCCESS',
});

describe.each(ADAPTERS)('proxies trusted by their certificate identity on %s', (adapter) => {
  describe('MTLS_TRUSTED_PROXY_IDENTITIES=nginx-proxy, no address list', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
        MTLS_CRL_FILE: pki.crlFile,
      });
    });
    afterAll(() => app.close());
    const whoami = (
      client: ClientName | undefined,
      headers: Record<string, string> = forwarded('billing'),
    ) =>
      call(pki, `${app.url}/api/whoami`, {
        client: client ? pki.clients[client] : undefined,
        headers,
      });

    it("honours the forwarded certificate from a peer that presents the proxy's identity", async () => {
      const res = await whoami('proxy');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
      // ...and re-validates what it forwards.
      const rogue = await whoami('proxy', forwarded('rogue'));
      expect(rogue.body.code).toBe('MTLS_CERT_UNTRUSTED');
    });

    it('never authenticates a trusted proxy as itself: no forwarded certificate is a 401', async () => {
      const res = await whoami('proxy', {});
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_CERT_MISSING');
    });

    it('strips the header from a peer without a certificate (401 MTLS_CERT_MISSING)', async () => {
      const res = await whoami(undefined);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_CERT_MISSING');
    });

    it('strips the header from a trusted caller whose identity is not a proxy: it is itself', async () => {
      const res = await whoami('gateway');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ commonName: 'gateway-service', source: 'tls' });
      const ignored = () =>
        app.logs().filter((l) => l.event === 'mtls.forwarded_header_ignored').length;
      const before = ignored();
      await whoami('gateway');
      await expect.poll(ignored).toBeGreaterThan(before);
    });

    it("refuses the proxy's name on a certificate from a rogue CA with the same name", async () => {
      const res = await whoami('rogueProxy');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_CERT_UNTRUSTED');
    });
  });

  describe('with an address list too, a proxy must pass both', () => {
    let app: RunningApp | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('ignores the right identity from an address outside MTLS_TRUSTED_PROXIES', async () => {
      app = await startApp(pki, adapter, {
        MTLS_TRUSTED_PROXIES: '10.0.0.0/8',
        MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
      });
      const res = await call(pki, `${app.url}/api/whoami`, {
        client: pki.clients.proxy,
        headers: forwarded('billing'),
      });
      expect(res.body).toMatchObject({ commonName: 'nginx-proxy', source: 'tls' });
    });

    it('honours the right identity from a listed address, and pins do not apply to the proxy', async () => {
      app = await startApp(pki, adapter, {
        MTLS_TRUSTED_PROXIES: '127.0.0.1/32',
        MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
        MTLS_ALLOWED_FINGERPRINTS: pki.clients.billing.x509.fingerprint256,
      });
      const res = await call(pki, `${app.url}/api/whoami`, {
        client: pki.clients.proxy,
        headers: forwarded('billing'),
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
    });
  });
});
