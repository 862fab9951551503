import { Global, Module, type DynamicModule } from '@nestjs/common';
import type {
  AppConfig,
  MtlsConfig,
  OutboundConfig,
  ServerConfig,
  TlsConfig,
} from './app-config.js';

/**
 * The service's validated configuration (`loadAppConfig`), injected by its class and read typed:
 * `constructor(@Inject(ServiceConfig) config: ServiceConfig)`, then `config.tls.caFile`. Nothing
 * reads the environment after start-up; a feature's own settings come from its `module(env)`
 * (src/feature.ts).
 */
export class ServiceConfig implements AppConfig {
  readonly server: ServerConfig;
  readonly tls: TlsConfig;
  readonly mtls: MtlsConfig;
  readonly outbound: OutboundConfig;

  constructor(config: AppConfig) {
    this.server = config.server;
    this.tls = config.tls;
    this.mtls = config.mtls;
    this.outbound = config.outbound;
  }
}

/** Provides {@link ServiceConfig} to every module (AppModule imports it). */
@Global()
@Module({})
export class ServiceConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ServiceConfigModule,
      providers: [{ provide: ServiceConfig, useValue: new ServiceConfig(config) }],
      exports: [ServiceConfig],
    };
  }
}
