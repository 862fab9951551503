import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { matchableForwardedCaller } from '../forwarded/forwarded-caller.js';
import type { Enforcement } from '../options/mtls-auth-options.js';
import type { AuthOutcome } from '../x509/certificate-policy.js';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { MtlsReasonCode } from '../x509/reason-code.js';

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

/** What authorization decides for an authenticated caller on a route. */
export interface AuthorizationVerdict {
  /** The refusal enforcement gives; `undefined`: allowed. */
  readonly code: MtlsReasonCode | undefined;
  /** `false`: report-only, the caller is let through and reported. */
  readonly enforced: boolean;
}

/**
 * The one authorization decision (the allowlist guard's, remembered per caller and route, and
 * `npm run policy`'s): the pins' report-only refusal first (enforced pins refuse in
 * authentication), then the service-wide allowlist, then the route's; each enforced unless
 * report-only applies to it (the service-wide setting for all three, the route's own for its list).
 *
 * @param passesService whether the identity passes the service-wide allowlist (none: `true`).
 */
export function authorizationVerdict(
  outcome: AuthOutcome & { ok: true },
  passesService: boolean,
  rule: RouteRule,
  enforcement: Enforcement,
): AuthorizationVerdict {
  const reportOnly = enforcement === 'report-only';
  if (outcome.wouldRefuse !== undefined)
    return { code: outcome.wouldRefuse, enforced: !reportOnly };
  if (!passesService) return { code: MtlsReasonCode.ServiceForbidden, enforced: !reportOnly };
  if (rule.allow && !passesRouteAllowlist(rule.allow, outcome.identity)) {
    return { code: MtlsReasonCode.ServiceForbidden, enforced: !reportOnly && !rule.reportOnly };
  }
  return { code: undefined, enforced: true };
}
