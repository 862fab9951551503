import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { AllowServicesMetadata } from '../decorators/allow-services.decorator.js';
import { ALLOW_SERVICES_KEY, IS_PUBLIC_KEY } from '../mtls-auth.constants.js';

/** What the decorators say about one route: read once per route, not once per request. */
export interface RouteAuthMetadata {
  readonly isPublic: boolean;
  readonly allowServices: AllowServicesMetadata | undefined;
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * Reads `@Public()` and `@AllowServices()` for the route being executed, handler over controller,
 * and remembers the answer per (handler, controller). Decorator metadata is fixed once the app
 * starts, so authentication does no metadata lookups on the request path.
 */
export class RouteAuthMetadataCache {
  private readonly cache = new WeakMap<AnyFunction, Map<AnyFunction, RouteAuthMetadata>>();

  constructor(private readonly reflector: Reflector) {}

  get(context: ExecutionContext): RouteAuthMetadata {
    const handler = context.getHandler() as AnyFunction;
    const controller = context.getClass() as unknown as AnyFunction;
    let byController = this.cache.get(handler);
    let metadata = byController?.get(controller);
    if (metadata) return metadata;
    const targets = [handler, controller];
    metadata = {
      isPublic:
        this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
      allowServices: this.reflector.getAllAndOverride<AllowServicesMetadata | undefined>(
        ALLOW_SERVICES_KEY,
        targets,
      ),
    };
    if (!byController) {
      byController = new Map();
      this.cache.set(handler, byController);
    }
    byController.set(controller, metadata);
    return metadata;
  }
}
