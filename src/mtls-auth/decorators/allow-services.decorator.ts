import { SetMetadata } from '@nestjs/common';
import { compileIdentityPatterns, type IdentityMatcher } from '../certificate/identity-pattern.js';
import { ALLOW_SERVICES_KEY } from '../mtls-auth.constants.js';

/** What `@AllowServices()` stores: the patterns compiled once, when the class is declared. */
export interface AllowServicesMetadata {
  readonly patterns: readonly string[];
  readonly matches: IdentityMatcher;
}

/**
 * Restricts a route or controller to callers whose certificate matches one of the identity
 * patterns (on top of the service-wide `MTLS_ALLOWED_SERVICES`). Others get 403
 * `MTLS_SERVICE_FORBIDDEN`. Patterns are compiled at declaration: a typo fails at start-up.
 *
 * @example @AllowServices('billing-service', 'spiffe://example.org/ns/prod/*')
 */
export function AllowServices(
  ...patterns: [string, ...string[]]
): MethodDecorator & ClassDecorator {
  const matches = compileIdentityPatterns(patterns);
  if (!matches) throw new Error('@AllowServices() needs at least one identity pattern');
  const metadata: AllowServicesMetadata = { patterns, matches };
  return SetMetadata(ALLOW_SERVICES_KEY, metadata);
}
