import { SetMetadata } from '@nestjs/common';
import { compileIdentityPatterns, type IdentityMatcher } from '../allowlist/identity-pattern.js';
import type { RouteAllowlist } from '../authentication/route-rule.js';
import { ENFORCEMENT_MODES, type Enforcement } from '../options/mtls-auth-options.js';
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
  /**
   * `report-only`: a caller these patterns would refuse is let through, logged once per caller and
   * route as `mtls.would_reject` and counted in `mtls_would_reject_total{code,route}`, to see who
   * calls before tightening. Only this list is relaxed: the service-wide allowlist and pins follow
   * `MTLS_ENFORCEMENT`, and a missing or invalid certificate is always a 401.
   * @default 'enforce' (or `report-only` everywhere when `MTLS_ENFORCEMENT=report-only`)
   */
  readonly enforcement?: Enforcement;
}

/** What `@AllowServices()` stores: the patterns compiled once, when the class is declared. */
export interface AllowServicesMetadata extends RouteAllowlist {
  readonly patterns: readonly string[];
  readonly matches: IdentityMatcher;
  readonly onBehalfOf: boolean;
  /** The route's own enforcement. */
  readonly enforcement: Enforcement;
}

/**
 * Restricts a route or controller to callers whose certificate matches one of the identity
 * patterns (on top of the service-wide `MTLS_ALLOWED_SERVICES`). Others get 403
 * `MTLS_SERVICE_FORBIDDEN`. Patterns are compiled at declaration: a typo fails at start-up.
 *
 * @example @AllowServices('billing-service', 'spiffe://example.org/ns/prod/*')
 * @example @AllowServices('billing-service', { onBehalfOf: true }) // the original caller
 * @example @AllowServices('billing-service', { enforcement: 'report-only' }) // see who else calls
 */
export function AllowServices(
  ...args: [string, ...(string | AllowServicesOptions)[]]
): MethodDecorator & ClassDecorator {
  const patterns = args.filter((a): a is string => typeof a === 'string');
  const options = args.find((a): a is AllowServicesOptions => typeof a === 'object') ?? {};
  const matches = compileIdentityPatterns(patterns);
  if (!matches) throw new Error('@AllowServices() needs at least one identity pattern');
  const enforcement = options.enforcement ?? 'enforce';
  if (!ENFORCEMENT_MODES.includes(enforcement)) {
    throw new Error(
      `@AllowServices(): enforcement ${JSON.stringify(enforcement)} is not one of ${ENFORCEMENT_MODES.join(', ')}`,
    );
  }
  return SetMetadata(ALLOW_SERVICES_KEY, {
    patterns,
    matches,
    onBehalfOf: options.onBehalfOf === true,
    enforcement,
  } satisfies AllowServicesMetadata);
}
