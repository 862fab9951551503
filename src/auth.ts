import type { Type } from '@nestjs/common';
import type { ClientCertStrategy } from 'nest-mtls-auth';

/**
 * Who the service's callers are: your subclass of `ClientCertStrategy`, or `undefined` for the
 * package's own (`request.user` is the caller's `ClientIdentity`, every trusted caller passes).
 * `main.ts` and `npm run doctor` give it to `createApp`; the service's own tests do not, so they
 * keep testing the certificate checks whatever your strategy decides.
 *
 * @default undefined
 * @example
 * // src/callers/caller.strategy.ts
 * @Injectable()
 * export class CallerStrategy extends ClientCertStrategy {
 *   override validate(identity: ClientIdentity) {
 *     return identity.commonName === 'billing-service' ? { service: 'billing' } : null; // null: 403
 *   }
 * }
 * // here
 * export const AUTH_STRATEGY: Type<ClientCertStrategy> | undefined = CallerStrategy;
 */
export const AUTH_STRATEGY: Type<ClientCertStrategy> | undefined = undefined;
