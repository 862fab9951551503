import { Controller, Get, Injectable, Module, Req } from '@nestjs/common';
import { ClientCertStrategy, type ClientIdentity } from 'nest-mtls-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { ADAPTERS, pkiEnv, startApp, type RunningApp } from '../support/app-launcher.js';
import { FixtureRoutesModule } from '../support/fixture-routes.js';

const pki = useTestPki();

/** A team's strategy, as src/auth.ts would name it: billing-service only, as a user record. */
@Injectable()
class BillingOnlyStrategy extends ClientCertStrategy {
  override validate(identity: ClientIdentity) {
    return identity.commonName === 'billing-service' ? { service: 'billing' } : null;
  }
}

@Controller('me')
class MeController {
  @Get()
  me(@Req() request: { user?: unknown }) {
    return { user: request.user };
  }
}

@Module({ controllers: [MeController] })
class MeModule {}

describe.each(ADAPTERS)(
  'the strategy given to createApp (src/auth.ts in the service) on %s',
  (adapter) => {
    let own: RunningApp;
    let template: RunningApp;
    beforeAll(async () => {
      own = await startApp(pki, adapter, {}, [MeModule, FixtureRoutesModule], BillingOnlyStrategy);
      template = await startApp(pki, adapter, {}, [MeModule, FixtureRoutesModule]);
    });
    afterAll(async () => {
      await own.close();
      await template.close();
    });

    it('makes request.user and refuses the callers it returns null for with 403', async () => {
      const billing = await call(pki, `${own.url}/me`, { client: pki.clients.billing });
      expect(billing.status).toBe(200);
      expect(billing.body.user).toEqual({ service: 'billing' });
      const notification = await call(pki, `${own.url}/me`, { client: pki.clients.notification });
      expect(notification.status).toBe(403);
      expect(notification.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
      // The certificate checks still come first.
      const expired = await call(pki, `${own.url}/me`, { client: pki.clients.expired });
      expect(expired.body.code).toBe('MTLS_CERT_EXPIRED');
    });

    it("is not the tests' apps': theirs keep the package's strategy in the same process", async () => {
      const notification = await call(pki, `${template.url}/me`, {
        client: pki.clients.notification,
      });
      expect(notification.status).toBe(200);
      expect(notification.body.user).toMatchObject({ commonName: 'notification-service' });
    });
  },
);

describe('npm run doctor with the service strategy', () => {
  const env = () => ({
    ...pkiEnv(pki),
    LOG_LEVEL: 'silent',
  });
  const doctor = async (client: 'billing' | 'notification') => {
    const { output, status } = await runDoctor([pki.clients[client].certFile, '--json'], env(), {
      features: [FixtureRoutesModule],
      strategy: BillingOnlyStrategy,
    });
    return { report: JSON.parse(output) as DoctorReport, status };
  };

  it('says a caller the strategy refuses gets 403 MTLS_SERVICE_FORBIDDEN, and why', async () => {
    const { report, status } = await doctor('notification');
    expect(status).toBe(1);
    expect(report.code).toBe('MTLS_SERVICE_FORBIDDEN');
    expect(report.status).toBe(403);
    const step = report.steps.at(-1);
    expect(step).toMatchObject({ check: 'strategy', ok: false });
    expect(step?.detail).toContain('BillingOnlyStrategy.validate()');
    expect(step?.fix).toContain('src/auth.ts');
    expect(report.routes.filter((r) => r.access === 'allowed')).toEqual([]);
  });

  it('accepts a caller the strategy lets in', async () => {
    const { report, status } = await doctor('billing');
    expect(status).toBe(0);
    expect(report.code).toBeUndefined();
    expect(report.steps.at(-1)).toMatchObject({ check: 'strategy', ok: true });
  });
});
