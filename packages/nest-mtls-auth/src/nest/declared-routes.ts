import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer, Reflector } from '@nestjs/core';
import {
  readRouteAuthMetadata,
  routeOf,
  type AnyFunction,
  type RouteAuthMetadata,
} from './route-auth-metadata.js';

/** One route handler of an application, with what this module's decorators say about it. */
export interface DeclaredRoute {
  readonly method: string;
  readonly path: string;
  readonly controller: Type;
  readonly handler: AnyFunction;
  readonly metadata: RouteAuthMetadata;
}

/** Every route handler of the application's controllers, read the way the guards read them. */
export function declaredRoutes(modules: ModulesContainer, reflector: Reflector): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const target = controller as unknown as AnyFunction;
        routes.push({
          ...routeOf(handler as AnyFunction, target),
          controller,
          handler: handler as AnyFunction,
          metadata: readRouteAuthMetadata(reflector, handler as AnyFunction, target),
        });
      }
    }
  }
  return routes;
}
