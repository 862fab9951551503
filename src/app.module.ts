import { Module, RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config/app-config.js';
import { ServiceConfigModule } from './config/service-config.js';
import { mtlsAuthOptionsFromConfig } from './config/mtls-auth-options.factory.js';
import { HealthModule } from './health/health.module.js';
import { OutboundModule } from './outbound/outbound.module.js';
import { CertificateReloader } from './tls/certificate-reloader.service.js';
import { MtlsAuthModule, type ClientCertStrategy } from 'nest-mtls-auth';

/** What the app is made with besides its configuration. */
export interface AppModuleOptions {
  /** The modules with the service's routes (see src/features.ts). */
  readonly features?: readonly (Type | DynamicModule)[];
  /**
   * Who the callers are (see src/auth.ts); the package's `ClientCertStrategy` when unset, as in
   * the service's own tests.
   */
  readonly strategy?: Type<ClientCertStrategy>;
  /** Where logs go (tests capture them). */
  readonly logDestination?: NodeJS.WritableStream;
}

/** The service: configuration, logging, client-certificate auth, health, and its features. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    const pinoOptions = {
      level: config.server.logLevel,
      autoLogging: config.server.logRequests,
      // Forwarded certificates and XFCC chains are long and identify people: never log them whole,
      // under whatever header names the proxy is configured with.
      redact: [
        ...new Set([
          config.mtls.settings.certificateHeader,
          config.mtls.settings.verifyHeader,
          'x-ssl-client-cert',
          'x-forwarded-client-cert',
          'authorization',
          'cookie',
        ]),
      ].map((header) => `req.headers[${JSON.stringify(header)}]`),
    };
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: options.logDestination ? [pinoOptions, options.logDestination] : pinoOptions,
          // LOG_REQUESTS=false (the default): no per-request pino-http middleware at all. Refusals
          // are still logged, with their own method, URL, peer, CN and fingerprint.
          forRoutes: config.server.logRequests
            ? [{ path: '*path', method: RequestMethod.ALL }]
            : [],
        }),
        // Read here, before Nest starts, so a missing file stops start-up with one line.
        MtlsAuthModule.forRoot({
          ...mtlsAuthOptionsFromConfig(config.mtls, config.outbound),
          strategy: options.strategy,
        }),
        OutboundModule,
        HealthModule,
        ...(options.features ?? []),
      ],
      providers: [CertificateReloader],
    };
  }
}
