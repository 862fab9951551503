import type * as Swagger from '@nestjs/swagger';

type SwaggerModuleExports = typeof Swagger;
type DecoratorName =
  | 'ApiBadGatewayResponse'
  | 'ApiNotFoundResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiServiceUnavailableResponse'
  | 'ApiTags';

/** Where a class (or its prototype) keeps the decorator calls it is waiting to have applied. */
export const DEFERRED_DECORATORS = Symbol('openapi:deferred-decorators');

interface DeferredCall {
  readonly name: DecoratorName;
  readonly args: readonly unknown[];
  readonly key: string | symbol | undefined;
  readonly descriptor: PropertyDescriptor | undefined;
}

/**
 * `@nestjs/swagger`'s decorator `name`, recorded on its target when the controller is defined and
 * applied when the OpenAPI document is built ({@link loadSwagger}), not at start-up.
 *
 * Why: importing `@nestjs/swagger` costs about 75 ms and 14 MB of a start-up (its decorators
 * import `es-toolkit/compat` whole), and production serves no document (`OPENAPI_PATH` is unset
 * there), so the service's own controllers take their `@Api*` decorators from here. The decorators
 * that run are swagger's own, with the same arguments, on the same targets, in the same order, so
 * the metadata and the document are the ones they would have made at class definition
 * (test/unit/openapi-decorators.spec.ts). A route of yours may import them from `@nestjs/swagger`
 * directly: it then loads at start-up.
 */
function deferred<N extends DecoratorName>(name: N): SwaggerModuleExports[N] {
  const decorator = (...args: unknown[]) =>
    function (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void {
      const calls = (Reflect.getOwnMetadata(DEFERRED_DECORATORS, target) ?? []) as DeferredCall[];
      Reflect.defineMetadata(
        DEFERRED_DECORATORS,
        [...calls, { name, args, key, descriptor }],
        target,
      );
    };
  return decorator;
}

export const ApiBadGatewayResponse = deferred('ApiBadGatewayResponse');
export const ApiNotFoundResponse = deferred('ApiNotFoundResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiServiceUnavailableResponse = deferred('ApiServiceUnavailableResponse');
export const ApiTags = deferred('ApiTags');

/**
 * Loads `@nestjs/swagger` and applies the decorator calls recorded on `classes` (and their
 * prototypes), once: they are removed as they are applied.
 */
export async function loadSwagger(
  classes: Iterable<abstract new (...args: never[]) => unknown>,
): Promise<SwaggerModuleExports> {
  const swagger = await import('@nestjs/swagger');
  for (const type of classes) {
    for (const target of [type, type.prototype as object]) {
      const calls = Reflect.getOwnMetadata(DEFERRED_DECORATORS, target) as
        DeferredCall[] | undefined;
      if (!calls) continue;
      Reflect.deleteMetadata(DEFERRED_DECORATORS, target);
      for (const { name, args, key, descriptor } of calls) {
        (swagger[name] as (...a: unknown[]) => (...t: unknown[]) => unknown)(...args)(
          target,
          key,
          descriptor,
        );
      }
    }
  }
  return swagger;
}
