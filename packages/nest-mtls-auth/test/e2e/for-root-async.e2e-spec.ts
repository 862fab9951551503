import { readFileSync } from 'node:fs';
import { Controller, Get, Injectable, Module, Req } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientCertStrategy,
  ClientIdentity,
  MtlsAuthModule,
  MtlsAuthOptionsError,
  MtlsAuthService,
} from 'nest-mtls-auth';
import { ADAPTERS } from '../support/adapters.js';
import { startFixtureApp, type FixtureApp } from '../support/fixture-app.js';
import { call } from '../support/https-client.js';
import { useTestPki, type TestPki } from '../support/test-pki.js';

const pki = useTestPki();

/** Another module's provider the options come from: the service's own access policy. */
@Injectable()
class AccessPolicy {
  readonly allowedServices = ['billing-service', 'gateway-service'];
}

@Module({ providers: [AccessPolicy], exports: [AccessPolicy] })
class AccessModule {}

@Injectable()
class ServiceUserStrategy extends ClientCertStrategy {
  override validate(identity: ClientIdentity): unknown {
    return { service: identity.commonName };
  }
}

@Controller()
class ProbeController {
  @Get('me')
  me(@Req() req: { user?: unknown }, @ClientIdentity() identity: ClientIdentity) {
    return { user: req.user, cn: identity.commonName, source: identity.source };
  }
}

/** The settings a service keeps in its environment (here loaded as ConfigModule's `load`). */
function settings(pki: TestPki, caFile = pki.caFile): Record<string, string> {
  return {
    MTLS_CA_FILE: caFile,
    MTLS_CRL_FILE: pki.crlFile,
    MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
  };
}

/**
 * The README's example: the trust material read from files ConfigService names, the allowlist
 * from another module's provider, the extras (`strategy`) beside the factory.
 */
function authModule() {
  return MtlsAuthModule.forRootAsync({
    imports: [ConfigModule, AccessModule],
    inject: [ConfigService, AccessPolicy],
    useFactory: (config: ConfigService, access: AccessPolicy) => ({
      trustedCa: readFileSync(config.getOrThrow<string>('MTLS_CA_FILE')),
      crl: readFileSync(config.getOrThrow<string>('MTLS_CRL_FILE')),
      trustedProxyIdentities: config.getOrThrow<string>('MTLS_TRUSTED_PROXY_IDENTITIES').split(','),
      allowedServices: access.allowedServices,
    }),
    strategy: ServiceUserStrategy,
  });
}

function start(adapter: (typeof ADAPTERS)[number], values: Record<string, string>) {
  return startFixtureApp(pki, adapter, {
    imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => values] }), authModule()],
    controllers: [ProbeController],
  });
}

describe.each(ADAPTERS)('MtlsAuthModule.forRootAsync with ConfigService on %s', (adapter) => {
  let fixture: FixtureApp;
  beforeAll(async () => {
    fixture = await start(adapter, settings(pki));
  });
  afterAll(() => fixture.close());

  const me = (client?: keyof TestPki['clients'], headers?: Record<string, string>) =>
    call(pki, `${fixture.url}/me`, { client: client && pki.clients[client], headers });
  /** What the trusted proxy (nginx-proxy) sends for a caller it verified. */
  const forwarded = (caller: keyof TestPki['clients']) =>
    me('proxy', {
      'x-ssl-client-cert': encodeURIComponent(pki.clients[caller].certPem),
      'x-ssl-client-verify': 'SUCCESS',
    });

  it('authenticates over TLS with the options the factory made, and the strategy of the extras', async () => {
    const res = await me('billing');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { service: 'billing-service' },
      cn: 'billing-service',
      source: 'tls',
    });
    expect((await me()).body.code).toBe('MTLS_CERT_MISSING');
  });

  it("takes the allowlist from another module's provider", async () => {
    expect((await me('gateway')).status).toBe(200);
    const refused = await me('notification');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MTLS_SERVICE_FORBIDDEN');
  });

  it('judges forwarded certificates with the CA and the CRL read through ConfigService', async () => {
    // The handshake trusts the CA but was given no CRL: only the module's own trust refuses these.
    const served = await forwarded('billing');
    expect(served.status).toBe(200);
    expect(served.body.source).toBe('forwarded');
    const revoked = await forwarded('revoked');
    expect([revoked.status, revoked.body.code]).toEqual([401, 'MTLS_CERT_REVOKED']);
    const unknown = await forwarded('unknownCa');
    expect([unknown.status, unknown.body.code]).toEqual([401, 'MTLS_CERT_UNTRUSTED']);
    const crls = fixture.app.get(MtlsAuthService).revocationLists;
    expect(crls.map((crl) => crl.issuer.subject)).toEqual([pki.clients.revoked.x509.issuer]);
  });
});

describe('MtlsAuthModule.forRootAsync with a bad setting', () => {
  it('refuses to start, naming the option (the factory is validated as forRoot() is)', async () => {
    const notACa = pki.write('not-a-ca.pem', 'not a certificate\n');
    const started = start('express', settings(pki, notACa));
    await expect(started).rejects.toBeInstanceOf(MtlsAuthOptionsError);
    await expect(started).rejects.toMatchObject({ problems: [{ option: 'trustedCa' }] });
  });
});
