import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { AllowServices } from '../../src/nest/allow-services.decorator.js';
import { Public } from '../../src/nest/public.decorator.js';
import { RouteAuthMetadataCache } from '../../src/nest/route-auth-metadata.js';

/** The two things the cache reads from Nest's context. */
const contextOf = (controller: object, handler: unknown) =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

class BaseController {
  list(): string[] {
    return [];
  }
  @AllowServices('billing-service')
  invoices(): string[] {
    return [];
  }
}

@Public()
class PublicController extends BaseController {}

class PrivateController extends BaseController {}

@AllowServices('gateway-service')
class GatewayController extends BaseController {}

describe('RouteAuthMetadataCache', () => {
  // The handler functions themselves, as Nest's context hands them out (never called here).
  const { list, invoices } = Object.getOwnPropertyDescriptors(BaseController.prototype);
  const handlers = { list: list?.value as unknown, invoices: invoices?.value as unknown };

  it('reads handler over controller, and answers again from the cache', () => {
    const cache = new RouteAuthMetadataCache(new Reflector());
    const first = cache.get(contextOf(GatewayController, handlers.invoices));
    expect(first.isPublic).toBe(false);
    expect(first.allowServices?.patterns).toEqual(['billing-service']);
    expect(cache.get(contextOf(GatewayController, handlers.invoices))).toBe(first);
    expect(cache.get(contextOf(GatewayController, handlers.list)).allowServices?.patterns).toEqual([
      'gateway-service',
    ]);
  });

  it('keeps one inherited handler apart per controller, in any order', () => {
    const cache = new RouteAuthMetadataCache(new Reflector());
    for (let round = 0; round < 3; round++) {
      expect(cache.get(contextOf(PublicController, handlers.list)).isPublic).toBe(true);
      expect(cache.get(contextOf(PrivateController, handlers.list)).isPublic).toBe(false);
      expect(cache.get(contextOf(GatewayController, handlers.list)).isPublic).toBe(false);
      expect(
        cache.get(contextOf(GatewayController, handlers.list)).allowServices?.patterns,
      ).toEqual(['gateway-service']);
      expect(cache.get(contextOf(PrivateController, handlers.list)).allowServices).toBeUndefined();
    }
  });
});
