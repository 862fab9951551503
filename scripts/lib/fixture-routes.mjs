/**
 * The test routes in plain JavaScript (decorators applied by hand: no compiler runs here), for
 * the processes that run the built service with them (scripts/fixture-server.mjs). The same paths
 * and access rules as test/support/fixture-routes.ts; the handlers answer as the sample's did (as
 * the benchmarks' own routes do, bench/src/fixtures/fixture-routes.module.ts):
 *   GET /info           public
 *   GET /api/whoami     any authenticated caller: its ClientIdentity
 *   GET /api/data       any authenticated caller: a small list and the caller's CN
 *   GET /api/invoices   billing-service only
 */
import { Controller, Get, Module } from '@nestjs/common';
import { AllowServices, ClientIdentity, Public } from 'nest-mtls-auth';

class FixtureController {
  info() {
    return { name: 'fixture', version: '0.0.0', clientCertificateMode: 'allow', adapter: 'any' };
  }

  /** @param {unknown} identity */
  whoami(identity) {
    return identity;
  }

  /** @param {{ commonName: string | null }} identity */
  data(identity) {
    return {
      items: [
        { id: 1, name: 'alpha' },
        { id: 2, name: 'beta' },
      ],
      servedTo: identity.commonName,
    };
  }

  invoices() {
    return { invoices: [{ id: 'INV-001', amount: 120.5, currency: 'EUR' }] };
  }
}

/**
 * @param {string} method
 * @param {((target: object, key: string, descriptor: PropertyDescriptor) => unknown)[]} decorators
 */
function decorate(method, ...decorators) {
  const proto = FixtureController.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, method);
  if (!descriptor) throw new Error(`no method ${method}`);
  for (const decorator of decorators) decorator(proto, method, descriptor);
}
decorate('info', Get('info'), Public());
decorate('whoami', Get('api/whoami'));
decorate('data', Get('api/data'));
decorate('invoices', Get('api/invoices'), AllowServices('billing-service'));
ClientIdentity()(FixtureController.prototype, 'whoami', 0);
ClientIdentity()(FixtureController.prototype, 'data', 0);
Controller()(FixtureController);

export class FixtureRoutesModule {}
Module({ controllers: [FixtureController] })(FixtureRoutesModule);

/** The fixture routes as a feature of the service (see src/feature.ts). */
export const FIXTURE_FEATURE = { module: () => FixtureRoutesModule };
