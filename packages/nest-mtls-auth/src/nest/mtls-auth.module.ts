import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost, ModulesContainer, Reflector } from '@nestjs/core';
import { logRecord } from '../authentication/log-record.js';
import { BoundTokenGuard } from './bound-token.guard.js';
import { declaredRoutes } from './declared-routes.js';
import { PassportModule } from '@nestjs/passport';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { MtlsAuthService } from './mtls-auth.service.js';
import { MtlsReloadService } from './mtls-reload.service.js';
import { ClientCertAuthGuard } from './client-cert-auth.guard.js';
import { ServiceAllowlistGuard } from './service-allowlist.guard.js';
import { ForwardedHeaderFilter } from './forwarded-header-filter.js';
import { ClientCertForwardingInterceptor } from './client-cert-forwarding.interceptor.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  type MtlsAuthModuleExtras,
  OPTIONS_TYPE,
} from './mtls-auth.module-definition.js';
import { ClientCertStrategy } from './client-cert.strategy.js';
import { installRequestAccessors } from './request-accessors.js';

const GLOBAL_GUARDS: Provider[] = [
  // Order matters: authenticate first (401), then authorize (403).
  { provide: APP_GUARD, useClass: ClientCertAuthGuard },
  { provide: APP_GUARD, useClass: ServiceAllowlistGuard },
];

/**
 * Client-certificate authentication for a Nest service: the `'client-cert'` Passport strategy,
 * `ClientCertAuthGuard` (401), `ServiceAllowlistGuard` (403), and the decorators `@Public()`,
 * `@AllowServices()` and `@ClientIdentity()`.
 *
 * @example
 * MtlsAuthModule.forRoot({ trustedCa: readFileSync('ca.crt'), allowedServices: ['billing-service'] })
 */
@Module({
  imports: [PassportModule],
  providers: [
    ClientCertAuthenticator,
    MtlsAuthService,
    MtlsReloadService,
    ClientCertAuthGuard,
    ServiceAllowlistGuard,
    ForwardedHeaderFilter,
    ClientCertForwardingInterceptor,
    BoundTokenGuard,
  ],
  exports: [
    BoundTokenGuard,
    ClientCertStrategy,
    ClientCertForwardingInterceptor,
    ClientCertAuthenticator,
    MtlsAuthService,
    MtlsReloadService,
    ClientCertAuthGuard,
    ServiceAllowlistGuard,
  ],
})
export class MtlsAuthModule
  extends ConfigurableModuleClass
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  private removeAccessors: () => void = () => undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly headerFilter: ForwardedHeaderFilter,
    private readonly authenticator: ClientCertAuthenticator,
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
  ) {
    super();
  }

  /**
   * Says at start-up what weakens or blocks the routes: report-only enforcement anywhere (the
   * service-wide setting, or routes of their own), and `@RequireBoundToken()` routes without
   * bound-token settings (they refuse every request).
   */
  onApplicationBootstrap(): void {
    const routes = declaredRoutes(this.modules, this.reflector);
    const logger = new Logger('MtlsAuth');
    const reportOnly = routes
      .filter((r) => !r.metadata.isPublic && r.metadata.rule.reportOnly)
      .map((r) => r.metadata.rule.route);
    if (this.authenticator.enforcement === 'report-only' || reportOnly.length > 0) {
      logger.warn(
        logRecord({
          msg: 'authorization is report-only: callers the allowlist or pins would refuse are let through and logged as mtls.would_reject',
          event: 'mtls.report_only',
          everywhere: this.authenticator.enforcement === 'report-only',
          routes: reportOnly,
        }),
      );
    }
    const bound = routes.filter((r) => r.metadata.requireBoundToken);
    if (bound.length > 0 && !this.authenticator.boundTokensConfigured) {
      logger.warn(
        logRecord({
          msg: '@RequireBoundToken() routes refuse every request: no authorization server is configured (the boundToken option: MTLS_BOUND_TOKEN_ISSUER, MTLS_BOUND_TOKEN_AUDIENCE, MTLS_BOUND_TOKEN_JWKS_URL)',
          event: 'mtls.bound_token_unconfigured',
          routes: bound.map((r) => r.metadata.rule.route),
        }),
      );
    }
  }

  /**
   * Records the trust generation of every TLS handshake, strips forwarding headers sent by peers
   * that may not send them before anything reads them (see {@link ForwardedHeaderFilter}), and
   * gives this application's requests `user` and the identity accessors (see
   * {@link installRequestAccessors}).
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    // Over TLS, which trust each handshake was judged under (see DirectTlsJudge).
    const server = adapter?.getHttpServer() as Server | undefined;
    server?.on('secureConnection', (socket: Socket) => this.authenticator.recordHandshake(socket));
    if (server) this.headerFilter.attach(server);
    else if (this.authenticator.forwardingEnabled) {
      throw new Error('MtlsAuthModule: trusted proxies need an HTTP application');
    }
    this.removeAccessors = installRequestAccessors(adapter?.getInstance(), this.authenticator);
  }

  onModuleDestroy(): void {
    this.removeAccessors();
  }

  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withExtras(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withExtras(super.forRootAsync(options), options);
  }
}

/**
 * A global module (its authenticator is the application's), with the strategy (yours, or the
 * default) and the global guards unless opted out.
 */
function withExtras(module: DynamicModule, extras: MtlsAuthModuleExtras): DynamicModule {
  const strategy: Provider = {
    provide: ClientCertStrategy,
    useClass: extras.strategy ?? ClientCertStrategy,
  };
  const guards = extras.globalGuards === false ? [] : GLOBAL_GUARDS;
  return { ...module, global: true, providers: [...(module.providers ?? []), strategy, ...guards] };
}
