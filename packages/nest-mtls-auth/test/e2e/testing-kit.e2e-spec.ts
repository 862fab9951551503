import { Body, Controller, Get, Headers, Injectable, Module, Post, Req } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowServices,
  ClientCertStrategy,
  ClientIdentity,
  MtlsAuthModule,
  Public,
  type ClientIdentity as Identity,
} from 'nest-mtls-auth';
import {
  createTestPki,
  nginxForwardedHeaders,
  startTestApp,
  TEST_ADAPTERS,
  TEST_PROXY_IDENTITY,
  testRequests,
  type TestCertificate,
  type TestPki,
} from 'nest-mtls-auth/testing';

@Controller()
class KitController {
  @Get('whoami')
  whoami(@ClientIdentity() caller: Identity, @Req() req: { user?: unknown }) {
    return {
      commonName: caller.commonName,
      spiffeId: caller.spiffeId,
      dnsNames: caller.dnsNames,
      source: caller.source,
      user: req.user === caller ? 'identity' : req.user,
    };
  }

  @Get('billing-only')
  @AllowServices('billing-service')
  billingOnly() {
    return { ok: true };
  }

  @Post('echo')
  echo(@Body() body: unknown, @Headers('content-type') type: string) {
    return { body, type };
  }

  @Public()
  @Get('plain')
  plain() {
    return 'not json';
  }

  @Public()
  @Get('seen-headers')
  seenHeaders(@Headers() headers: Record<string, string>) {
    return headers;
  }
}

/** A user's own module that imports MtlsAuthModule itself (`mtls: false`). */
function ownAuthModule(pki: TestPki) {
  @Module({
    imports: [
      MtlsAuthModule.forRoot({
        trustedCa: pki.caPem,
        allowedServices: ['billing-service'],
        trustedProxyIdentities: [TEST_PROXY_IDENTITY],
      }),
    ],
    controllers: [KitController],
  })
  class OwnAppModule {}
  return OwnAppModule;
}

@Injectable()
class TeamStrategy extends ClientCertStrategy {
  override validate(identity: Identity): unknown {
    return identity.commonName === 'billing-service' ? { team: 'billing' } : null;
  }
}

let pki: TestPki;
let billing: TestCertificate;
let notification: TestCertificate;
let revoked: TestCertificate;
beforeAll(async () => {
  pki = await createTestPki();
  billing = await pki.issue('billing-service', {
    dns: ['billing.internal.example'],
    uris: ['spiffe://example.org/ns/prod/sa/billing'],
  });
  notification = await pki.issue('notification-service');
  revoked = await pki.issue('billing-service');
});
afterAll(() => pki.cleanup());

describe.each(TEST_ADAPTERS)('startTestApp (nest-mtls-auth/testing) on %s', (adapter) => {
  describe('with a module the test builds', () => {
    let app: Awaited<ReturnType<typeof startTestApp>>;
    beforeAll(async () => {
      app = await startTestApp({ pki, adapter, controllers: [KitController] });
    });
    afterAll(() => app.close());

    it('listens on https://127.0.0.1 and a port the OS chose, on the adapter asked for', () => {
      expect(app.url).toBe(`https://127.0.0.1:${app.port}`);
      expect(app.port).toBeGreaterThan(0);
      expect(app.adapter).toBe(adapter);
      expect(app.app.getHttpAdapter().getType()).toBe(adapter);
    });

    it('calls as a caller over mutual TLS, with its CN, DNS SANs and SPIFFE ID', async () => {
      const res = await app.as(billing).get('/whoami');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        commonName: 'billing-service',
        spiffeId: 'spiffe://example.org/ns/prod/sa/billing',
        dnsNames: ['billing.internal.example'],
        source: 'tls',
        user: 'identity',
      });
    });

    it('calls without a certificate (401) and as a caller a route refuses (403)', async () => {
      const anonymous = await app.anonymous().get('/whoami');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('MTLS_CERT_MISSING');
      const forbidden = await app.as(notification).get('/billing-only');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
    });

    it('forwards a caller through the trusted proxy as nginx does, judged like a direct one', async () => {
      const res = await app.viaProxy(billing).get('/whoami');
      expect(res.body).toMatchObject({ commonName: 'billing-service', source: 'forwarded' });
      expect((await app.viaProxy(billing).get('/billing-only')).status).toBe(200);
      expect((await app.viaProxy(notification).get('/billing-only')).status).toBe(403);
    });

    it('sends the headers nginx sends: the URL-encoded PEM and SUCCESS', async () => {
      const sent = nginxForwardedHeaders({ caller: billing });
      expect(sent['x-ssl-client-cert']).toBe(encodeURIComponent(billing.certPem));
      expect(sent['x-ssl-client-cert']).toMatch(/^-----BEGIN%20CERTIFICATE-----%0A/);
      expect(sent['x-ssl-client-verify']).toBe('SUCCESS');
      // From the proxy they reach the route; from anyone else the module removes them.
      const viaProxy = await app.viaProxy(billing).get('/seen-headers');
      expect(viaProxy.body['x-ssl-client-cert']).toBe(sent['x-ssl-client-cert']);
      const spoofed = await app.as(notification).get('/seen-headers', { headers: sent });
      expect(spoofed.body['x-ssl-client-cert']).toBeUndefined();
    });

    it('sends a JSON body, a text body and headers; reads a body that is not JSON', async () => {
      const json = await app.as(billing).post('/echo', { amount: 42 });
      expect(json.status).toBe(201);
      expect(json.body).toEqual({ body: { amount: 42 }, type: 'application/json' });
      const put = await app.as(billing).request('put', '/echo');
      expect(put.status).toBe(404);
      const plain = await app.anonymous().get('/plain');
      expect(plain.text).toBe('not json');
      expect(plain.body).toEqual({});
    });

    it('gives a client for an app started elsewhere (testRequests)', async () => {
      const res = await testRequests({ pki, url: app.url, certificate: billing }).get('/whoami');
      expect(res.body.commonName).toBe('billing-service');
    });
  });

  it('passes MtlsAuthModule options: allowlist, CRL, header, strategy', async () => {
    const app = await startTestApp({
      pki,
      adapter,
      controllers: [KitController],
      mtls: {
        allowedServices: ['billing-service'],
        crl: await pki.crl(revoked),
        certificateHeader: 'x-client-cert',
        strategy: TeamStrategy,
      },
    });
    try {
      expect((await app.as(billing).get('/whoami')).body.user).toEqual({ team: 'billing' });
      expect((await app.as(notification).get('/whoami')).body.code).toBe('MTLS_SERVICE_FORBIDDEN');
      expect((await app.as(revoked).get('/whoami')).body.code).toBe('MTLS_CERT_REVOKED');
      const forwarded = await app.viaProxy(billing).get('/whoami');
      expect(forwarded.body).toMatchObject({ source: 'forwarded', user: { team: 'billing' } });
      expect((await app.viaProxy(revoked).get('/whoami')).body.code).toBe('MTLS_CERT_REVOKED');
    } finally {
      await app.close();
    }
  });

  it("starts a user's module that imports MtlsAuthModule itself (mtls: false)", async () => {
    const app = await startTestApp({ pki, adapter, imports: [ownAuthModule(pki)], mtls: false });
    try {
      expect((await app.as(billing).get('/whoami')).status).toBe(200);
      expect((await app.as(notification).get('/whoami')).status).toBe(403);
      expect((await app.viaProxy(billing).get('/whoami')).body.source).toBe('forwarded');
    } finally {
      await app.close();
    }
  });

  it('configures the app before it listens, and asks for certificates as told', async () => {
    const app = await startTestApp({
      pki,
      adapter,
      controllers: [KitController],
      clientCertificates: 'require',
      configure: (nest) => {
        nest.setGlobalPrefix('v1');
      },
    });
    try {
      expect((await app.as(billing).get('/v1/whoami')).status).toBe(200);
      // `require`: the handshake itself refuses a client without a certificate.
      await expect(app.anonymous().get('/v1/whoami')).rejects.toThrow();
    } finally {
      await app.close();
    }
    await expect(app.as(billing).get('/v1/whoami')).rejects.toThrow(/ECONNREFUSED/);
  });
});
