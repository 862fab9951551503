import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { AllowServices, ClientIdentity, Public } from 'nest-mtls-auth';
import { schemaRef } from '../../src/openapi/schema-ref.js';

/**
 * The routes the app's tests call, independent of the service's own (src/features.ts), which a
 * team changes: any caller (`/api/whoami`, `/api/data`), one service (`/api/invoices`,
 * `/api/kafka`), the SPIFFE IDs under a path (`/api/prod`), and a public route (`/info`).
 */
@Controller()
class FixtureController {
  @Get('api/whoami')
  @ApiOkResponse({ description: 'The caller.', schema: schemaRef('ClientIdentity') })
  whoami(@ClientIdentity() identity: ClientIdentity): ClientIdentity {
    return identity;
  }

  @Get('api/data')
  data(@ClientIdentity() identity: ClientIdentity) {
    return { servedTo: identity.commonName };
  }

  @Get('api/invoices')
  @AllowServices('billing-service')
  invoices() {
    return { invoices: [] };
  }

  @Get('api/kafka')
  @AllowServices('kafka-service')
  kafka() {
    return { topics: [] };
  }

  @Get('api/prod')
  @AllowServices('spiffe://example.org/ns/prod/*')
  prod() {
    return { namespace: 'prod' };
  }

  @Public()
  @Get('info')
  info() {
    return { name: 'fixture' };
  }
}

@Module({ controllers: [FixtureController] })
export class FixtureRoutesModule {}
