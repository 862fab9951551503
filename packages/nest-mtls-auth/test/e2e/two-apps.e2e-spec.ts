import { readFileSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { Controller, Get, Injectable, Req } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MtlsAuthService,
  ClientCertStrategy,
  ClientIdentity,
  MtlsAuthModule,
  type ClientIdentity as Identity,
} from 'nest-mtls-auth';
import { startFixtureApp, type FixtureApp } from '../support/fixture-app.js';
import { call } from '../support/https-client.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

@Injectable()
class AppAStrategy extends ClientCertStrategy {
  override validate(identity: Identity): unknown {
    return { app: 'A', cn: identity.commonName };
  }
}

@Controller()
class WhoController {
  @Get('who')
  who(@Req() req: { user?: unknown }, @ClientIdentity() identity: Identity) {
    return { user: req.user, cn: identity.commonName };
  }
}

describe('two applications in one process', () => {
  let a: FixtureApp;
  let b: FixtureApp;
  let c: FixtureApp;
  beforeAll(async () => {
    const trustedCa = readFileSync(pki.caFile);
    a = await startFixtureApp(pki, 'express', {
      imports: [
        MtlsAuthModule.forRoot({
          trustedCa,
          allowedServices: ['billing-service'],
          strategy: AppAStrategy,
        }),
      ],
      controllers: [WhoController],
    });
    b = await startFixtureApp(pki, 'express', {
      imports: [MtlsAuthModule.forRoot({ trustedCa })],
      controllers: [WhoController],
    });
    c = await startFixtureApp(pki, 'fastify', {
      imports: [
        MtlsAuthModule.forRoot({
          trustedCa,
          allowedFingerprints: [pki.clients.gateway.x509.fingerprint256],
        }),
      ],
      controllers: [WhoController],
    });
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((app) => app?.close()));
  });

  it('never see each other’s users, allowlists, pins or remembered outcomes', async () => {
    for (let round = 0; round < 2; round++) {
      const who = (app: FixtureApp, client: 'billing' | 'notification' | 'gateway') =>
        call(pki, `${app.url}/who`, { client: pki.clients[client] });
      expect((await who(a, 'billing')).body.user).toEqual({ app: 'A', cn: 'billing-service' });
      expect((await who(b, 'billing')).body.user).toMatchObject({ commonName: 'billing-service' });
      expect((await who(a, 'notification')).body.code).toBe('MTLS_SERVICE_FORBIDDEN');
      expect((await who(b, 'notification')).status).toBe(200);
      expect((await who(c, 'billing')).body.code).toBe('MTLS_FINGERPRINT_FORBIDDEN');
      expect((await who(c, 'gateway')).body.cn).toBe('gateway-service');
    }
    const callers = (app: FixtureApp) => app.app.get(MtlsAuthService).cachedCallers.tls;
    expect([callers(a), callers(b), callers(c)]).toEqual([2, 2, 2]);
  });

  it("patches nothing on Node's request prototype, and a closed app leaves the others working", async () => {
    expect(Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'user')).toBeUndefined();
    await a.close();
    const res = await call(pki, `${b.url}/who`, { client: pki.clients.billing });
    expect(res.body.user).toMatchObject({ commonName: 'billing-service' });
    expect(Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'user')).toBeUndefined();
  });
});
