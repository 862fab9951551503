import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { matchableForwardedCaller } from '../forwarded/forwarded-caller.js';
import type { CertificateIdentity } from '../x509/client-identity.js';

/** A route's own allowlist (`@AllowServices()`), compiled. */
export interface RouteAllowlist {
  readonly matches: IdentityMatcher;
  /** Match the original caller a trusted forwarder names, not the immediate caller. */
  readonly onBehalfOf: boolean;
}

/**
 * What authorization applies on one route, read once per route from its decorators. The guard
 * hands the same object on every request, so a verdict can be remembered per caller and route.
 */
export interface RouteRule {
  /** `GET /api/invoices`: the method and the path as declared (the metrics' `route` label). */
  readonly route: string;
  /** The controller class's name. */
  readonly controller: string;
  /** The route's `@AllowServices()`, if any. */
  readonly allow: RouteAllowlist | undefined;
  /** `@AllowServices(..., { enforcement: 'report-only' })`. */
  readonly reportOnly: boolean;
}

/**
 * `true` when `identity` passes a route's allowlist: the immediate caller, or with `onBehalfOf`
 * the original caller it names (a request naming none fails).
 */
export function passesRouteAllowlist(
  allow: RouteAllowlist,
  identity: CertificateIdentity,
): boolean {
  if (!allow.onBehalfOf) return allow.matches(identity);
  const original = identity.forwardedFor?.[0];
  return original !== undefined && allow.matches(matchableForwardedCaller(original));
}
