import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const der = (name: ClientName) => pki.clients[name].x509.raw;
const urlPem = (name: ClientName) => encodeURIComponent(pki.clients[name].certPem);

describe.each(ADAPTERS)('forwarded certificate headers on %s', (adapter) => {
  describe('from a trusted proxy (this test client, over plain HTTP)', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        TLS_ENABLED: 'false',
        MTLS_TRUSTED_PROXIES: '127.0.0.1/32,::1',
        MTLS_CRL_FILE: pki.crlFile,
      });
    });
    afterAll(() => app.close());
    const send = (headers: Record<string, string>, path = '/api/whoami') =>
      call(pki, `${app.url}${path}`, { headers });

    it('authenticates every proxy format, with source "forwarded"', async () => {
      const values: Record<string, string> = {
        'url-pem': urlPem('billing'),
        'base64-der': der('billing').toString('base64'),
        'hex-der': der('billing').toString('hex'),
        rfc9440: `:${der('billing').toString('base64')}:`,
        xfcc: `By=spiffe://mesh/app;Cert="${urlPem('billing')}"`,
      };
      for (const [format, value] of Object.entries(values)) {
        const res = await send({ 'x-ssl-client-cert': value, 'x-ssl-client-verify': 'SUCCESS' });
        expect(res.status, format).toBe(200);
        expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
      }
    });

    it('validates the forwarded certificate again: chain, validity, usage, revocation', async () => {
      const code = async (name: ClientName) =>
        (await send({ 'x-ssl-client-cert': urlPem(name) })).body.code;
      expect(await code('rogue')).toBe('MTLS_CERT_UNTRUSTED');
      expect(await code('unknownCa')).toBe('MTLS_CERT_UNTRUSTED');
      expect(await code('expired')).toBe('MTLS_CERT_EXPIRED');
      expect(await code('serverAuthOnly')).toBe('MTLS_CERT_INVALID_USAGE');
      expect(await code('revoked')).toBe('MTLS_CERT_REVOKED');
    });

    it.each<[string, () => string]>([
      ['garbage', () => 'not a certificate at all'],
      ['truncated', () => urlPem('billing').slice(0, 400)],
      ['oversized', () => 'QUFB'.repeat(2500)],
      [
        'two certificates',
        () => encodeURIComponent(pki.clients.billing.certPem + pki.clients.gateway.certPem),
      ],
      ['a private key', () => encodeURIComponent(pki.clients.billing.keyPem)],
    ])('answers 401 MTLS_CERT_MALFORMED, never 5xx, for a %s header', async (_name, value) => {
      const res = await send({ 'x-ssl-client-cert': value() });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_CERT_MALFORMED');
    });

    it('refuses when the proxy says it did not verify the certificate', async () => {
      const failed = await send({
        'x-ssl-client-cert': urlPem('billing'),
        'x-ssl-client-verify': 'FAILED:certificate has expired',
      });
      expect(failed.body.code).toBe('MTLS_CERT_UNTRUSTED');
      const none = await send({ 'x-ssl-client-verify': 'NONE' });
      expect(none.body.code).toBe('MTLS_CERT_MISSING');
    });

    it('answers 401 MTLS_CERT_MISSING when the proxy forwards no certificate', async () => {
      expect((await send({})).body.code).toBe('MTLS_CERT_MISSING');
    });

    it('applies the allowlist to forwarded identities', async () => {
      expect((await send({ 'x-ssl-client-cert': urlPem('billing') }, '/api/invoices')).status).toBe(
        200,
      );
      const res = await send({ 'x-ssl-client-cert': urlPem('notification') }, '/api/invoices');
      expect(res.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
    });
  });

  describe('from Envoy, in x-forwarded-client-cert with Cert= and Hash=', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        TLS_ENABLED: 'false',
        MTLS_TRUSTED_PROXIES: '127.0.0.1/32,::1',
        MTLS_CERT_HEADER: 'x-forwarded-client-cert',
        MTLS_CERT_HEADER_FORMAT: 'xfcc',
      });
    });
    afterAll(() => app.close());
    const sha256 = (name: ClientName) => createHash('sha256').update(der(name)).digest('hex');
    const xfcc = (hash: string) =>
      `By=spiffe://mesh/outer;Hash=00,By=spiffe://mesh/app;Hash=${hash};Cert="${urlPem('billing')}";Subject="O=Test,CN=billing-service"`;
    const send = (value: string) =>
      call(pki, `${app.url}/api/whoami`, { headers: { 'x-forwarded-client-cert': value } });

    it('authenticates the Cert when the Hash is its SHA-256, in either case', async () => {
      for (const hash of [sha256('billing'), sha256('billing').toUpperCase()]) {
        const res = await send(xfcc(hash));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
      }
    });

    it("answers 401 MTLS_CERT_MALFORMED when the Hash is not the Cert's", async () => {
      for (const hash of [sha256('gateway'), sha256('billing').slice(0, 40), 'not-hex']) {
        const res = await send(xfcc(hash));
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('MTLS_CERT_MALFORMED');
      }
    });
  });

  describe('from a peer that is not a trusted proxy', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, { MTLS_TRUSTED_PROXIES: '10.0.0.0/8' });
    });
    afterAll(() => app.close());

    it('ignores a spoofed header (401 MTLS_CERT_MISSING) and logs the attempt', async () => {
      const res = await call(pki, `${app.url}/api/whoami`, {
        headers: { 'x-ssl-client-cert': urlPem('billing'), 'x-ssl-client-verify': 'SUCCESS' },
      });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_CERT_MISSING');
      const logged = app.logs().filter((l) => l.event === 'mtls.forwarded_header_ignored');
      expect(logged.at(-1)).toMatchObject({ peer: expect.stringContaining('127.0.0.1') as string });
      expect(JSON.stringify(logged)).not.toContain('BEGIN');
    });

    it('still authenticates the peer by its own TLS certificate', async () => {
      const res = await call(pki, `${app.url}/api/whoami`, {
        client: pki.clients.gateway,
        headers: { 'x-ssl-client-cert': urlPem('billing') },
      });
      expect(res.body).toMatchObject({ commonName: 'gateway-service', source: 'tls' });
    });
  });
});
