import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from './mtls-auth.constants.js';

/**
 * Opts a route or controller out of the global client-certificate guards (health checks, info).
 *
 * @example @Public() @Get('health') health() {}
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
