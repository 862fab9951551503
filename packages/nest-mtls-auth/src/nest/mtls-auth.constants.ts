import { Inject } from '@nestjs/common';

/** Injection token of the module options. */
export const MTLS_AUTH_OPTIONS = 'MTLS_AUTH:OPTIONS';
/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'MTLS_AUTH:IS_PUBLIC';
/** Metadata key set by `@AllowServices()`. */
export const ALLOW_SERVICES_KEY = 'MTLS_AUTH:ALLOW_SERVICES';
/** Name of the Passport strategy. */
export const CLIENT_CERT_STRATEGY = 'client-cert';
/** Metadata key set by `@ForwardClientCert()`. */
export const FORWARD_CLIENT_CERT_KEY = 'MTLS_AUTH:FORWARD_CLIENT_CERT';

/** Injects the module options. */
export const InjectMtlsAuthOptions = (): ParameterDecorator => Inject(MTLS_AUTH_OPTIONS);
