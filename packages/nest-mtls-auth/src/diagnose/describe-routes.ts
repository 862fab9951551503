import { type INestApplicationContext } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { passesRouteAllowlist } from '../authentication/route-rule.js';
import type { RouteRule } from '../authentication/route-rule.js';
import type { Enforcement } from '../options/mtls-auth-options.js';
import { declaredRoutes } from '../nest/declared-routes.js';
import type { CertificateIdentity } from '../x509/client-identity.js';

/** One route of an application and what this module's decorators say about it. */
export interface RouteAccess {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  readonly isPublic: boolean;
  /** `@AllowServices()` patterns (handler over controller), if any. */
  readonly allowServices: readonly string[] | undefined;
  /** `{ onBehalfOf: true }`: the patterns apply to the original caller. */
  readonly onBehalfOf: boolean;
  /** Whether `identity` passes this route's own rule (service-wide rules aside). */
  allows(identity: CertificateIdentity): boolean;
  /** The route's own enforcement of its `@AllowServices()` (`MTLS_ENFORCEMENT` aside). */
  readonly enforcement: Enforcement;
  /** `@RequireBoundToken()`: callers also need a certificate-bound access token. */
  readonly requireBoundToken: boolean;
  /** What the guards apply on this route (the same object they use). */
  readonly rule: RouteRule;
}

/**
 * Every route of an initialised application with its `@Public()` and `@AllowServices()` metadata,
 * read the way the guards read it (handler over controller).
 */
export function describeRoutes(app: INestApplicationContext): RouteAccess[] {
  const routes = declaredRoutes(app.get(ModulesContainer), app.get(Reflector));
  return routes
    .map(({ method, path, controller, metadata }): RouteAccess => {
      const { isPublic, allowServices: allow } = metadata;
      return {
        method,
        path,
        controller: controller.name,
        isPublic,
        allowServices: allow?.patterns,
        onBehalfOf: allow?.onBehalfOf ?? false,
        allows: (identity) => isPublic || !allow || passesRouteAllowlist(allow, identity),
        enforcement: allow?.enforcement ?? 'enforce',
        requireBoundToken: metadata.requireBoundToken,
        rule: metadata.rule,
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
