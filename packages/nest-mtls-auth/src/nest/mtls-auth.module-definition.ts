import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';
import type { MtlsAuthModuleExtras, MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import { MTLS_AUTH_OPTIONS } from './mtls-auth.constants.js';

export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<MtlsAuthModuleOptions>({ optionsInjectionToken: MTLS_AUTH_OPTIONS })
    .setClassMethodName('forRoot')
    .setExtras<MtlsAuthModuleExtras>({ globalGuards: true }, (definition) => definition)
    .build();

/** Injects the module options. */
export const InjectMtlsAuthOptions = (): ParameterDecorator => Inject(MTLS_AUTH_OPTIONS);
