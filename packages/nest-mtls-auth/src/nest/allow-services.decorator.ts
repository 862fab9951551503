import { SetMetadata } from '@nestjs/common';
import { compileIdentityPatterns, type IdentityMatcher } from '../allowlist/identity-pattern.js';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { matchableForwardedCaller } from '../forwarded/forwarded-caller.js';
import { ALLOW_SERVICES_KEY } from './mtls-auth.constants.js';

/** Options of `@AllowServices()`. */
export interface AllowServicesOptions {
  /**
   * Match the original caller a trusted forwarder acts for (`identity.forwardedFor[0]`, from
   * `x-forwarded-client-cert`) instead of the immediate caller. A request with no original caller
   * is refused.
   * @default false
   */
  readonly onBehalfOf?: boolean;
}

/** What `@AllowServices()` stores: the patterns compiled once, when the class is declared. */
export interface AllowServicesMetadata {
  readonly patterns: readonly string[];
  readonly matches: IdentityMatcher;
  readonly onBehalfOf: boolean;
}

/**
 * `true` when `identity` passes a route's `@AllowServices()` rule: the immediate caller, or with
 * `onBehalfOf` the original caller it names (a request naming none fails).
 */
export function allowsCaller(rule: AllowServicesMetadata, identity: CertificateIdentity): boolean {
  if (!rule.onBehalfOf) return rule.matches(identity);
  const original = identity.forwardedFor?.[0];
  return original !== undefined && rule.matches(matchableForwardedCaller(original));
}

/**
 * Restricts a route or controller to callers whose certificate matches one of the identity
 * patterns (on top of the service-wide `MTLS_ALLOWED_SERVICES`). Others get 403
 * `MTLS_SERVICE_FORBIDDEN`. Patterns are compiled at declaration: a typo fails at start-up.
 *
 * @example @AllowServices('billing-service', 'spiffe://example.org/ns/prod/*')
 * @example @AllowServices('billing-service', { onBehalfOf: true }) // the original caller
 */
export function AllowServices(
  ...args: [string, ...(string | AllowServicesOptions)[]]
): MethodDecorator & ClassDecorator {
  const patterns = args.filter((a): a is string => typeof a === 'string');
  const options = args.find((a): a is AllowServicesOptions => typeof a === 'object') ?? {};
  const matches = compileIdentityPatterns(patterns);
  if (!matches) throw new Error('@AllowServices() needs at least one identity pattern');
  return SetMetadata(ALLOW_SERVICES_KEY, {
    patterns,
    matches,
    onBehalfOf: options.onBehalfOf === true,
  });
}
