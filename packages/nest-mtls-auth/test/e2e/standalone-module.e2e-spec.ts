import { readFileSync } from 'node:fs';
import { Controller, Get, Req, UseInterceptors, type INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowServices,
  ClientCertForwardingInterceptor,
  ClientIdentity,
  currentCaller,
  ForwardClientCert,
  MtlsAuthModule,
  Public,
} from 'nest-mtls-auth';
import { ADAPTERS } from '../support/adapters.js';
import { startFixtureApp } from '../support/fixture-app.js';
import { call, keepAliveAgent } from '../support/https-client.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

@Controller()
class ProbeController {
  @Get('probe')
  probe(@Req() req: { user?: unknown }, @ClientIdentity() identity: ClientIdentity) {
    return { userIsIdentity: req.user === identity, cn: identity.commonName };
  }

  @Get('billing-only')
  @AllowServices('billing-service')
  billingOnly() {
    return { ok: true };
  }

  @Get('bound-caller')
  @UseInterceptors(ClientCertForwardingInterceptor)
  boundCaller() {
    return { bound: currentCaller()?.identity.commonName ?? null };
  }

  @Get('not-forwarded')
  @UseInterceptors(ClientCertForwardingInterceptor)
  @ForwardClientCert(false)
  notForwarded() {
    return { bound: currentCaller()?.identity.commonName ?? null };
  }

  @Get('on-behalf-of-billing')
  @AllowServices('billing-service', { onBehalfOf: true })
  onBehalfOfBilling() {
    return { ok: true };
  }

  @Get('seen-xfcc')
  seenXfcc(@Req() req: { headers: Record<string, unknown> }) {
    return { xfcc: req.headers['x-forwarded-client-cert'] ?? null };
  }

  @Public()
  @Get('seen-xfcc-public')
  seenXfccPublic(@Req() req: { headers: Record<string, unknown> }) {
    return { xfcc: req.headers['x-forwarded-client-cert'] ?? null };
  }

  @Public()
  @Get('open')
  open(@Req() req: { user?: unknown }) {
    return { hasUser: req.user != null }; // Fastify declares it as null, Express leaves it undefined
  }
}

describe.each(ADAPTERS)('MtlsAuthModule lifted into another app on %s', (adapter) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startFixtureApp(pki, adapter, {
      imports: [
        MtlsAuthModule.forRoot({
          trustedCa: readFileSync(pki.caFile),
          trustedForwarders: ['gateway-service'],
        }),
      ],
      controllers: [ProbeController],
    }));
  });
  afterAll(() => app.close());

  it('sets request.user to the identity on the first and on later requests of a connection', async () => {
    const agent = keepAliveAgent(pki, pki.clients.billing);
    for (let i = 0; i < 3; i++) {
      const res = await call(pki, `${url}/probe`, { agent });
      expect(res.body).toEqual({ userIsIdentity: true, cn: 'billing-service' });
    }
    agent.destroy();
  });

  it('applies @AllowServices and leaves @Public routes open', async () => {
    expect(
      (await call(pki, `${url}/billing-only`, { client: pki.clients.gateway })).body.code,
    ).toBe('MTLS_SERVICE_FORBIDDEN');
    expect((await call(pki, `${url}/billing-only`, { client: pki.clients.billing })).status).toBe(
      200,
    );
    expect((await call(pki, `${url}/open`)).body).toEqual({ hasUser: false });
  });

  it('matches @AllowServices(..., { onBehalfOf: true }) against the original caller', async () => {
    const xfcc = (cn: string) =>
      `By=gateway-service;Subject="CN=${cn},OU=services,O=Test";DNS=${cn}`;
    const get = (client: 'gateway' | 'billing', headers?: Record<string, string>) =>
      call(pki, `${url}/on-behalf-of-billing`, { client: pki.clients[client], headers });
    expect(
      (await get('gateway', { 'x-forwarded-client-cert': xfcc('billing-service') })).status,
    ).toBe(200);
    expect(
      (await get('gateway', { 'x-forwarded-client-cert': xfcc('notification-service') })).body.code,
    ).toBe('MTLS_SERVICE_FORBIDDEN');
    // No original caller: refused, even for billing-service itself calling directly.
    expect((await get('billing')).body.code).toBe('MTLS_SERVICE_FORBIDDEN');
    expect((await get('gateway')).body.code).toBe('MTLS_SERVICE_FORBIDDEN');
  });

  it('removes x-forwarded-client-cert from callers that are not trusted forwarders, on every route', async () => {
    const xfcc = 'By=x;Hash=00;Subject="CN=billing-service";DNS=billing-service';
    const seen = async (path: string, client?: 'gateway' | 'billing') =>
      (
        await call(pki, `${url}${path}`, {
          client: client ? pki.clients[client] : undefined,
          headers: { 'x-forwarded-client-cert': xfcc },
        })
      ).body.xfcc;
    expect(await seen('/seen-xfcc', 'billing')).toBeNull();
    expect(await seen('/seen-xfcc-public', 'billing')).toBeNull();
    expect(await seen('/seen-xfcc-public')).toBeNull();
    // A trusted forwarder's header stays for the handler.
    expect(await seen('/seen-xfcc', 'gateway')).toBe(xfcc);
  });

  it('binds the caller for the handler under the interceptor, unless @ForwardClientCert(false)', async () => {
    const get = (path: string) => call(pki, `${url}${path}`, { client: pki.clients.billing });
    expect((await get('/bound-caller')).body).toEqual({ bound: 'billing-service' });
    expect((await get('/not-forwarded')).body).toEqual({ bound: null });
  });
});
