import { RequestMethod, type ExecutionContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { Reflector } from '@nestjs/core';
import type { RouteRule } from '../authentication/route-rule.js';
import type { AllowServicesMetadata } from './allow-services.decorator.js';
import {
  ALLOW_SERVICES_KEY,
  FORWARD_CLIENT_CERT_KEY,
  IS_PUBLIC_KEY,
  REQUIRE_BOUND_TOKEN_KEY,
} from './mtls-auth.constants.js';

/** What this module's decorators say about one route: read once per route, not per request. */
export interface RouteAuthMetadata {
  readonly isPublic: boolean;
  readonly allowServices: AllowServicesMetadata | undefined;
  /** `@ForwardClientCert()`: `false` opts the route out of caller forwarding. */
  readonly forwardClientCert: boolean | undefined;
  /** What authorization applies here (the same object on every request of the route). */
  readonly rule: RouteRule;
  /** `@RequireBoundToken()`. */
  readonly requireBoundToken: boolean;
}

export type AnyFunction = (...args: never[]) => unknown;

/**
 * Reads `@Public()` and `@AllowServices()` for the route being executed, handler over controller,
 * and remembers the answer per (handler, controller). Decorator metadata is fixed once the app
 * starts, so authentication does no metadata lookups on the request path.
 */
export class RouteAuthMetadataCache {
  // Keyed by handler, holding the first controller seen with it: one lookup per request. A
  // handler inherited by several controllers keeps the others in `more`.
  private readonly cache = new WeakMap<AnyFunction, CachedRoute>();

  constructor(private readonly reflector: Reflector) {}

  get(context: ExecutionContext): RouteAuthMetadata {
    const handler = context.getHandler() as AnyFunction;
    const controller = context.getClass() as unknown as AnyFunction;
    const cached = this.cache.get(handler);
    if (cached !== undefined && cached.controller === controller) return cached.metadata;
    const other = cached?.more?.get(controller);
    if (other) return other;
    const metadata = readRouteAuthMetadata(this.reflector, handler, controller);
    if (cached === undefined) this.cache.set(handler, { controller, metadata });
    else (cached.more ??= new Map()).set(controller, metadata);
    return metadata;
  }
}

/** What the decorators say about one route, handler over controller, as every reader takes it. */
export function readRouteAuthMetadata(
  reflector: Reflector,
  handler: AnyFunction,
  controller: AnyFunction,
): RouteAuthMetadata {
  const targets = [handler, controller];
  const allowServices = reflector.getAllAndOverride<AllowServicesMetadata | undefined>(
    ALLOW_SERVICES_KEY,
    targets,
  );
  const { method, path } = routeOf(handler, controller);
  return {
    isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
    allowServices,
    forwardClientCert: reflector.getAllAndOverride<boolean | undefined>(
      FORWARD_CLIENT_CERT_KEY,
      targets,
    ),
    rule: {
      route: `${method} ${path}`,
      controller: controller.name,
      allow: allowServices,
      reportOnly: allowServices?.enforcement === 'report-only',
    },
    requireBoundToken:
      reflector.getAllAndOverride<boolean | undefined>(REQUIRE_BOUND_TOKEN_KEY, targets) === true,
  };
}

/**
 * A route's method and path as its decorators declare them (`GET`, `/api/invoices`): the
 * controller's path and the handler's, without a global prefix or version.
 */
export function routeOf(
  handler: AnyFunction,
  controller: AnyFunction,
): { readonly method: string; readonly path: string } {
  const base = joinPath(Reflect.getMetadata(PATH_METADATA, controller) as string | string[]);
  const own = joinPath(
    Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined,
  );
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET';
  return { method, path: `/${[base, own].filter(Boolean).join('/')}` };
}

function joinPath(path: string | string[] | undefined): string {
  const first = Array.isArray(path) ? path[0] : path;
  return (first ?? '').replace(/^\/+|\/+$/g, '');
}

interface CachedRoute {
  readonly controller: AnyFunction;
  readonly metadata: RouteAuthMetadata;
  more?: Map<AnyFunction, RouteAuthMetadata>;
}
