import { RequestMethod, type INestApplicationContext, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { allowsCaller } from '../nest/allow-services.decorator.js';
import { readRouteAuthMetadata, type AnyFunction } from '../nest/route-auth-metadata.js';
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
}

/**
 * Every route of an initialised application with its `@Public()` and `@AllowServices()` metadata,
 * read the way the guards read it (handler over controller).
 */
export function describeRoutes(app: INestApplicationContext): RouteAccess[] {
  const reflector = app.get(Reflector);
  const routes: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const base = joinPath(Reflect.getMetadata(PATH_METADATA, controller) as string | string[]);
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method =
          RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET';
        const { isPublic, allowServices: allow } = readRouteAuthMetadata(
          reflector,
          handler as AnyFunction,
          controller as unknown as AnyFunction,
        );
        routes.push({
          method,
          path: `/${[base, joinPath(path)].filter(Boolean).join('/')}`,
          controller: controller.name,
          isPublic,
          allowServices: allow?.patterns,
          onBehalfOf: allow?.onBehalfOf ?? false,
          allows: (identity) => isPublic || !allow || allowsCaller(allow, identity),
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path));
}

function joinPath(path: string | string[] | undefined): string {
  const first = Array.isArray(path) ? path[0] : path;
  return (first ?? '').replace(/^\/+|\/+$/g, '');
}
