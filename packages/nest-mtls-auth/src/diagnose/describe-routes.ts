import type { INestApplicationContext, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { AllowServicesMetadata } from '../nest/allow-services.decorator.js';
import { ALLOW_SERVICES_KEY, IS_PUBLIC_KEY } from '../nest/mtls-auth.constants.js';
import { matchableForwardedCaller } from '../xfcc/forwarded-caller.js';
import type { CertificateIdentity } from '../x509/client-identity.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

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
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET';
        const targets = [handler, controller];
        const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true;
        const allow = reflector.getAllAndOverride<AllowServicesMetadata | undefined>(
          ALLOW_SERVICES_KEY,
          targets,
        );
        routes.push({
          method,
          path: `/${[base, joinPath(path)].filter(Boolean).join('/')}`,
          controller: controller.name,
          isPublic,
          allowServices: allow?.patterns,
          onBehalfOf: allow?.onBehalfOf ?? false,
          allows(identity) {
            if (isPublic || !allow) return true;
            if (!allow.onBehalfOf) return allow.matches(identity);
            const original = identity.forwardedFor?.[0];
            return original !== undefined && allow.matches(matchableForwardedCaller(original));
          },
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
