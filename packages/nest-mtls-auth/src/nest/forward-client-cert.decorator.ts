import { SetMetadata } from '@nestjs/common';
import { FORWARD_CLIENT_CERT_KEY } from './mtls-auth.constants.js';

/**
 * Turns forwarding of the verified caller to downstream services on (default) or off for a route
 * or controller, under `ClientCertForwardingInterceptor`.
 *
 * @example @UseInterceptors(ClientCertForwardingInterceptor) @ForwardClientCert(false) @Get() local() {}
 */
export const ForwardClientCert = (enabled = true): MethodDecorator & ClassDecorator =>
  SetMetadata(FORWARD_CLIENT_CERT_KEY, enabled);
