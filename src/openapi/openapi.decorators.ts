import type * as Swagger from '@nestjs/swagger';

type SwaggerModuleExports = typeof Swagger;
type DecoratorName =
  | 'ApiBadGatewayResponse'
  | 'ApiNotFoundResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiServiceUnavailableResponse'
  | 'ApiTags';

let swagger: SwaggerModuleExports | undefined;
const pending: ((loaded: SwaggerModuleExports) => void)[] = [];

/**
 * `@nestjs/swagger`'s decorator `name`, applied when `@nestjs/swagger` is loaded
 * ({@link loadSwagger}: when the OpenAPI document is built) rather than when the controller is.
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
      const apply = (loaded: SwaggerModuleExports) =>
        (loaded[name] as (...a: unknown[]) => (...t: unknown[]) => unknown)(...args)(
          target,
          key,
          descriptor,
        );
      if (swagger) apply(swagger);
      else pending.push(apply);
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
 * Loads `@nestjs/swagger` (once) and applies the decorators of this module met so far; those met
 * later apply at once.
 */
export async function loadSwagger(): Promise<SwaggerModuleExports> {
  swagger ??= await import('@nestjs/swagger');
  for (const apply of pending.splice(0)) apply(swagger);
  return swagger;
}
