import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { AllowServices, ClientIdentity, Public, RequireBoundToken } from 'nest-mtls-auth';
import { schemaRef } from '../../src/openapi/schema-ref.js';

/**
 * The routes the app's tests call, independent of the service's own (src/features.ts), which a
 * team changes: any caller (`/api/whoami`, `/api/data`), one service (`/api/invoices`,
 * `/api/kafka`), the SPIFFE IDs under a path (`/api/prod`), one service in report-only
 * (`/api/preview`), a certificate-bound token (`/api/bound`), and a public route (`/info`).
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

  @Get('api/preview')
  @AllowServices('billing-service', { enforcement: 'report-only' })
  preview(@ClientIdentity() identity: ClientIdentity) {
    return { servedTo: identity.commonName };
  }

  @Get('api/bound')
  @RequireBoundToken()
  bound(@ClientIdentity() identity: ClientIdentity) {
    return { servedTo: identity.commonName, source: identity.source };
  }

  @Public()
  @Get('info')
  info() {
    return { name: 'fixture' };
  }
}

@Module({ controllers: [FixtureController] })
export class FixtureRoutesModule {}
