import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import type { ClientCertStrategy } from './client-cert.strategy.js';
import { MTLS_AUTH_OPTIONS } from './mtls-auth.constants.js';

/** Module-level extras of `forRoot()`. */
export interface MtlsAuthModuleExtras {
  /**
   * Your subclass of `ClientCertStrategy`, whose `validate(identity)` maps the certificate identity
   * to your user (what `request.user` becomes) or refuses it (return `null`: 403).
   * @default ClientCertStrategy (request.user is the identity)
   */
  readonly strategy?: Type<ClientCertStrategy>;
  /**
   * Register `ClientCertAuthGuard` and `ServiceAllowlistGuard` as global guards, so every route is
   * protected unless marked `@Public()`. With `false`, put `@UseGuards(ClientCertAuthGuard,
   * ServiceAllowlistGuard)` on the controllers that need them.
   * @default true
   */
  readonly globalGuards?: boolean;
}

export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<MtlsAuthModuleOptions>({ optionsInjectionToken: MTLS_AUTH_OPTIONS })
    .setClassMethodName('forRoot')
    .setExtras<MtlsAuthModuleExtras>({ globalGuards: true }, (definition) => definition)
    .build();
