import { readFileSync } from 'node:fs';
import { Controller, Get, Injectable, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientCertAuthGuard,
  ClientCertStrategy,
  ClientIdentity,
  MtlsAuthModule,
  Public,
  ServiceAllowlistGuard,
  AllowServices,
  type ClientIdentity as Identity,
} from 'nest-mtls-auth';
import { ADAPTERS } from '../support/adapters.js';
import { startFixtureApp, type FixtureApp } from '../support/fixture-app.js';
import { call, keepAliveAgent } from '../support/https-client.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

/**
 * A user's own strategy: maps callers to its users, refuses one service outright, and answers for
 * one caller asynchronously (as a lookup in a user store would).
 */
@Injectable()
class TeamStrategy extends ClientCertStrategy {
  override validate(identity: Identity): unknown {
    if (identity.commonName === 'notification-service') return null;
    if (identity.commonName === 'gateway-service') {
      return new Promise((resolve) =>
        setTimeout(() => resolve({ name: 'gateway', team: 'edge' }), 5),
      );
    }
    return { name: identity.commonName, team: 'payments' };
  }
}

@Controller()
class UserController {
  @Get('me')
  me(@Req() req: { user?: unknown }, @ClientIdentity() identity: Identity) {
    return { user: req.user, cn: identity.commonName };
  }
}

@Controller('guarded')
@UseGuards(ClientCertAuthGuard, ServiceAllowlistGuard)
class GuardedController {
  @Get()
  guarded(@ClientIdentity() identity: Identity) {
    return { cn: identity.commonName };
  }

  @Get('billing')
  @AllowServices('billing-service')
  billing() {
    return { ok: true };
  }
}

@Controller('open')
class OpenController {
  @Get()
  open() {
    return { open: true };
  }
}

@Controller('passport')
class PlainPassportController {
  @Get()
  @UseGuards(AuthGuard('client-cert'))
  plain(@Req() req: { user?: Identity }) {
    return { cn: req.user?.commonName };
  }

  @Public()
  @Get('public')
  @UseGuards(AuthGuard('client-cert'))
  publicButGuarded() {
    return { ok: true };
  }
}

/** Counts validate() calls, and answers only when the test lets it (an async user lookup). */
@Injectable()
class CountingStrategy extends ClientCertStrategy {
  static calls = 0;
  static release: () => void = () => undefined;
  override validate(identity: Identity): Promise<unknown> {
    CountingStrategy.calls++;
    return new Promise((resolve) => {
      CountingStrategy.release = () => resolve({ name: identity.commonName, call: 1 });
    });
  }
}

@Controller('both')
class BothPathsController {
  @Get('guard')
  @UseGuards(ClientCertAuthGuard)
  guard(@Req() req: { user?: unknown }) {
    return { user: req.user };
  }

  @Get('passport')
  @UseGuards(AuthGuard('client-cert'))
  passport(@Req() req: { user?: unknown }) {
    return { user: req.user };
  }
}

describe.each(ADAPTERS)('extension points on %s', (adapter) => {
  describe('one acceptance path: validate() once per certificate, through either guard', () => {
    let fixture: FixtureApp;
    beforeAll(async () => {
      fixture = await startFixtureApp(pki, adapter, {
        imports: [
          MtlsAuthModule.forRoot({
            trustedCa: readFileSync(pki.caFile),
            strategy: CountingStrategy,
            globalGuards: false,
          }),
        ],
        controllers: [BothPathsController],
      });
    });
    afterAll(() => fixture.close());

    it('two requests of one certificate on two connections, interleaved: one validate(), one user', async () => {
      CountingStrategy.calls = 0;
      const first = call(pki, `${fixture.url}/both/guard`, { client: pki.clients.billing });
      const second = call(pki, `${fixture.url}/both/passport`, { client: pki.clients.billing });
      // Both are waiting for the same validate(): release it once.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(CountingStrategy.calls).toBe(1);
      CountingStrategy.release();
      const [a, b] = await Promise.all([first, second]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body).toEqual({ user: { name: 'billing-service', call: 1 } });
      expect(b.body).toEqual(a.body);
    });

    it("AuthGuard('client-cert') remembers validate() as ClientCertAuthGuard does", async () => {
      CountingStrategy.calls = 0;
      for (const path of ['passport', 'passport', 'guard', 'passport']) {
        const res = await call(pki, `${fixture.url}/both/${path}`, { client: pki.clients.billing });
        expect(res.status).toBe(200);
      }
      expect(CountingStrategy.calls).toBe(0);
    });
  });

  describe('your own strategy (extras.strategy)', () => {
    let fixture: FixtureApp;
    beforeAll(async () => {
      fixture = await startFixtureApp(pki, adapter, {
        imports: [
          MtlsAuthModule.forRoot({ trustedCa: readFileSync(pki.caFile), strategy: TeamStrategy }),
        ],
        controllers: [UserController],
      });
    });
    afterAll(() => fixture.close());

    it('makes request.user what validate() returns, on every request of a connection', async () => {
      const agent = keepAliveAgent(pki, pki.clients.billing);
      for (let i = 0; i < 3; i++) {
        const res = await call(pki, `${fixture.url}/me`, { agent });
        expect(res.body).toEqual({
          user: { name: 'billing-service', team: 'payments' },
          cn: 'billing-service',
        });
      }
      agent.destroy();
    });

    it('waits for a validate() that answers with a promise, once per connection', async () => {
      const agent = keepAliveAgent(pki, pki.clients.gateway);
      for (let i = 0; i < 3; i++) {
        const res = await call(pki, `${fixture.url}/me`, { agent });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          user: { name: 'gateway', team: 'edge' },
          cn: 'gateway-service',
        });
      }
      agent.destroy();
    });

    it('refuses with 403 MTLS_SERVICE_FORBIDDEN when validate() returns null, every time', async () => {
      const agent = keepAliveAgent(pki, pki.clients.notification);
      for (let i = 0; i < 2; i++) {
        const res = await call(pki, `${fixture.url}/me`, { agent });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
      }
      agent.destroy();
    });
  });

  describe('globalGuards: false, with the guards per controller', () => {
    let fixture: FixtureApp;
    beforeAll(async () => {
      fixture = await startFixtureApp(pki, adapter, {
        imports: [
          MtlsAuthModule.forRoot({ trustedCa: readFileSync(pki.caFile), globalGuards: false }),
        ],
        controllers: [GuardedController, OpenController, PlainPassportController],
      });
    });
    afterAll(() => fixture.close());

    it('guards only the controllers that ask for it', async () => {
      expect((await call(pki, `${fixture.url}/open`)).body).toEqual({ open: true });
      const missing = await call(pki, `${fixture.url}/guarded`);
      expect(missing.status).toBe(401);
      expect(missing.body.code).toBe('MTLS_CERT_MISSING');
      const ok = await call(pki, `${fixture.url}/guarded`, { client: pki.clients.gateway });
      expect(ok.body).toEqual({ cn: 'gateway-service' });
      const forbidden = await call(pki, `${fixture.url}/guarded/billing`, {
        client: pki.clients.gateway,
      });
      expect(forbidden.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
    });

    it("answers a plain AuthGuard('client-cert') with the same reason codes", async () => {
      const ok = await call(pki, `${fixture.url}/passport`, { client: pki.clients.billing });
      expect(ok.body).toEqual({ cn: 'billing-service' });
      for (const [client, code] of [
        [undefined, 'MTLS_CERT_MISSING'],
        [pki.clients.expired, 'MTLS_CERT_EXPIRED'],
        [pki.clients.rogue, 'MTLS_CERT_UNTRUSTED'],
      ] as const) {
        const res = await call(pki, `${fixture.url}/passport`, { client });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe(code);
      }
      // An explicit guard on a @Public() route still guards it, with a code.
      const publicRoute = await call(pki, `${fixture.url}/passport/public`);
      expect(publicRoute.body.code).toBe('MTLS_CERT_MISSING');
    });
  });
});
