import 'reflect-metadata';
import * as swagger from '@nestjs/swagger';
import { describe, expect, it } from 'vitest';
import * as deferred from '../../src/openapi/openapi.decorators.js';

type Decorators = Pick<
  typeof swagger,
  | 'ApiBadGatewayResponse'
  | 'ApiNotFoundResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiServiceUnavailableResponse'
  | 'ApiTags'
>;

/** A controller-like class decorated with `api`'s decorators, as the service's controllers are. */
function decorated(api: Decorators) {
  @api.ApiTags('Things')
  class Things {
    @api.ApiOperation({ operationId: 'getThing', summary: 'A thing' })
    @api.ApiOkResponse({ description: 'The thing.', schema: { type: 'object' } })
    @api.ApiNotFoundResponse({ description: 'No such thing.' })
    get() {
      return {};
    }

    @api.ApiOperation({ operationId: 'relay', summary: 'Relayed' })
    @api.ApiBadGatewayResponse({ description: 'The downstream failed.' })
    @api.ApiServiceUnavailableResponse({ description: 'Not ready.' })
    relay() {
      return {};
    }
  }
  return Things;
}

/** Every metadata entry on the class and on its methods, by key. */
function metadataOf(type: new () => object): Record<string, unknown> {
  const entries = (target: object, prefix: string): [string, unknown][] =>
    Reflect.getOwnMetadataKeys(target)
      .filter((key: unknown) => key !== deferred.DEFERRED_DECORATORS)
      .map((key: unknown) => [
        `${prefix}${String(key)}`,
        Reflect.getOwnMetadata(key, target) as unknown,
      ]);
  const methods = ['get', 'relay'] as const;
  const proto = type.prototype as unknown as Record<(typeof methods)[number], object>;
  return Object.fromEntries([
    ...entries(type, ''),
    ...methods.flatMap((name) => entries(proto[name], `${name}:`)),
  ]);
}

describe('the OpenAPI decorators applied when @nestjs/swagger loads (src/openapi/openapi.decorators.ts)', () => {
  it("leave no swagger metadata until the document is built, then exactly what swagger's own leave", async () => {
    const Later = decorated(deferred);
    expect(metadataOf(Later)).toEqual({});
    await deferred.loadSwagger([Later]);
    const expected = metadataOf(decorated(swagger));
    expect(Object.keys(expected).length).toBeGreaterThan(4);
    expect(metadataOf(Later)).toEqual(expected);
  });

  it('apply once: a second document leaves the same metadata', async () => {
    const Twice = decorated(deferred);
    await deferred.loadSwagger([Twice]);
    await deferred.loadSwagger([Twice]);
    expect(metadataOf(Twice)).toEqual(metadataOf(decorated(swagger)));
  });
});
