import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ClientIdentity as Identity } from '../x509/client-identity.js';
import { identityOfRequest } from './request-accessors.js';

/** The authenticated caller (see the `ClientIdentity` parameter decorator). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the type with the decorator's name
export interface ClientIdentity extends Identity {}

/**
 * Injects the authenticated caller's identity (`undefined` on a `@Public()` route without one).
 *
 * @example @Get('whoami') whoami(@ClientIdentity() identity: ClientIdentity) { return identity; }
 */
export const ClientIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Identity | undefined =>
    identityOfRequest(context.getArgByIndex(0)),
);
