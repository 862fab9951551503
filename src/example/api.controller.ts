import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '../openapi/openapi.decorators.js';
import { AllowServices, ClientIdentity, RequireBoundToken } from 'nest-mtls-auth';
import { schemaRef } from '../openapi/schema-ref.js';

/**
 * The sample API. Every route is guarded by the global guards (any authenticated caller that
 * passes `MTLS_ALLOWED_SERVICES`); `/api/invoices` is further limited to billing-service, and
 * `/api/bound` also asks for an access token bound to the caller's certificate (RFC 8705).
 * A team that clones the starter deletes this folder and writes its own controllers.
 */
@Controller('api')
export class ApiController {
  /** The caller, as the service sees it. */
  @Get('whoami')
  @ApiOperation({ operationId: 'whoami', summary: 'The caller, as this service sees it' })
  @ApiOkResponse({ description: "The caller's identity.", schema: schemaRef('ClientIdentity') })
  whoami(@ClientIdentity() identity: ClientIdentity): ClientIdentity {
    return identity;
  }

  /** Sample data, and whom it was served to. */
  @Get('data')
  @ApiOperation({ operationId: 'getData', summary: 'Sample data for any allowed caller' })
  @ApiOkResponse({
    description: 'The items, and the CN of the caller they were served to.',
    schema: {
      type: 'object',
      required: ['items', 'servedTo'],
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'name'],
            properties: { id: { type: 'integer' }, name: { type: 'string' } },
          },
        },
        servedTo: { type: ['string', 'null'] },
      },
    },
  })
  data(@ClientIdentity() identity: ClientIdentity) {
    return {
      items: [
        { id: 1, name: 'alpha' },
        { id: 2, name: 'beta' },
      ],
      servedTo: identity.commonName,
    };
  }

  /** Sample invoices, for billing-service only. */
  @Get('invoices')
  @AllowServices('billing-service')
  @ApiOperation({ operationId: 'listInvoices', summary: 'Invoices, for billing-service only' })
  @ApiOkResponse({
    description: 'The invoices.',
    schema: {
      type: 'object',
      required: ['invoices'],
      properties: {
        invoices: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'amount', 'currency'],
            properties: {
              id: { type: 'string' },
              amount: { type: 'number' },
              currency: { type: 'string' },
            },
          },
        },
      },
    },
  })
  invoices() {
    return { invoices: [{ id: 'INV-001', amount: 120.5, currency: 'EUR' }] };
  }

  /** For a caller that also holds an access token bound to its certificate. */
  @Get('bound')
  @RequireBoundToken()
  @ApiOperation({
    operationId: 'getBound',
    summary: 'For callers with an access token bound to their certificate (RFC 8705)',
  })
  @ApiOkResponse({
    description: 'Who was served, and that the token was bound to its certificate.',
    schema: {
      type: 'object',
      required: ['servedTo', 'boundToken'],
      properties: { servedTo: { type: ['string', 'null'] }, boundToken: { type: 'boolean' } },
    },
  })
  bound(@ClientIdentity() identity: ClientIdentity) {
    return { servedTo: identity.commonName, boundToken: true };
  }
}
