import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
        'eleven chain certificates',
        () => encodeURIComponent(pki.clients.billing.certPem.repeat(12)),
      ],
      ['a private key', () => encodeURIComponent(pki.clients.billing.keyPem)],
    ])('answers 401 MTLS_CERT_MALFORMED, never 5xx, for a %s header', async (_name, value) => {
      const res = await send({ 'x-ssl-client-cert': value() });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_CERT_MALFORMED');
    });

    it('refuses when the proxy says it did not verify the certificate, with the reason it names', async () => {
      const failed = (verdict: string) =>
        send({ 'x-ssl-client-cert': urlPem('billing'), 'x-ssl-client-verify': verdict });
      // The proxy's reason stands when it is a precise one, even if this service would accept.
      expect((await failed('FAILED:certificate has expired')).body.code).toBe('MTLS_CERT_EXPIRED');
      expect((await failed('FAILED:certificate revoked')).body.code).toBe('MTLS_CERT_REVOKED');
      expect((await failed('FAILED:unable to get local issuer certificate')).body.code).toBe(
        'MTLS_CERT_UNTRUSTED',
      );
      expect((await failed('FAILED:something new')).body.code).toBe('MTLS_CERT_UNTRUSTED');
      // OpenSSL reports its last error: the first reason is named, as for the handshake.
      const rogueExpired = await send({
        'x-ssl-client-cert': urlPem('unknownCa'),
        'x-ssl-client-verify': 'FAILED:certificate has expired',
      });
      expect(rogueExpired.body.code).toBe('MTLS_CERT_UNTRUSTED');
      const none = await send({ 'x-ssl-client-verify': 'NONE' });
      expect(none.body.code).toBe('MTLS_CERT_MISSING');
    });

    it('takes a second certificate in the header as a chain hint, which trusts nothing by itself', async () => {
      // The gateway's certificate issued nothing: the billing leaf is judged as if sent alone.
      const res = await send({
        'x-ssl-client-cert': encodeURIComponent(
          pki.clients.billing.certPem + pki.clients.gateway.certPem,
        ),
      });
      expect(res.body).toMatchObject({ commonName: 'billing-service' });
      const rogue = await send({
        'x-ssl-client-cert': encodeURIComponent(
          pki.clients.rogue.certPem + readFileSync(pki.rogueCaFile, 'utf8'),
        ),
      });
      expect(rogue.body.code).toBe('MTLS_CERT_UNTRUSTED');
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

  describe('with the chain a proxy forwards (RFC 9440 Client-Cert-Chain)', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        TLS_ENABLED: 'false',
        MTLS_TRUSTED_PROXIES: '127.0.0.1/32,::1',
        MTLS_PROXY_PRESET: 'rfc9440',
      });
    });
    afterAll(() => app.close());
    const intermediate = () =>
      readFileSync(pki.bundleFile, 'utf8').split(/(?<=-----END CERTIFICATE-----\n?)/)[0]!;
    const sf = (pem: string) =>
      `:${Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64')}:`;
    const send = (headers: Record<string, string>) =>
      call(pki, `${app.url}/api/whoami`, { headers });
    const leaf = () => sf(pki.clients.viaIntermediate.certPem);

    it('accepts a caller whose intermediate is not in MTLS_CA_FILE when the chain completes its path, and only then', async () => {
      // Each answer is remembered by certificate and chain: the order of the calls cannot matter.
      for (let round = 0; round < 2; round++) {
        expect((await send({ 'client-cert': leaf() })).body.code).toBe('MTLS_CERT_UNTRUSTED');
        const res = await send({ 'client-cert': leaf(), 'client-cert-chain': sf(intermediate()) });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
        const other = await send({
          'client-cert': leaf(),
          'client-cert-chain': sf(readFileSync(pki.rogueCaFile, 'utf8')),
        });
        expect(other.body.code).toBe('MTLS_CERT_UNTRUSTED');
      }
    });

    it('answers MTLS_CERT_MALFORMED for more than ten chain certificates or one that is not a certificate', async () => {
      const eleven = Array.from({ length: 11 }, () => sf(intermediate())).join(', ');
      for (const chain of [eleven, ':bm90IGEgY2VydGlmaWNhdGU=:', 'garbage']) {
        const res = await send({ 'client-cert': leaf(), 'client-cert-chain': chain });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('MTLS_CERT_MALFORMED');
      }
      const ten = Array.from({ length: 10 }, () => sf(intermediate())).join(', ');
      expect((await send({ 'client-cert': leaf(), 'client-cert-chain': ten })).status).toBe(200);
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
      app = await startApp(pki, adapter, {
        MTLS_TRUSTED_PROXIES: '10.0.0.0/8',
        MTLS_CERT_CHAIN_HEADER: 'client-cert-chain',
      });
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

    it('removes a chain header too, before anything reads it', async () => {
      const res = await call(pki, `${app.url}/api/whoami`, {
        client: pki.clients.gateway,
        headers: { 'client-cert-chain': ':AAAA:' },
      });
      expect(res.body).toMatchObject({ commonName: 'gateway-service', source: 'tls' });
      const logged = app.logs().filter((l) => l.event === 'mtls.forwarded_header_ignored');
      expect(logged.at(-1)).toMatchObject({ headers: ['client-cert-chain'] });
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
