import type { IncomingMessage } from 'node:http';
import { Controller, Get, NotFoundException, Req } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '../openapi/openapi.decorators.js';
import { ManagementListener } from './management-listener.js';
import { schemaRef } from '../openapi/schema-ref.js';
import { MtlsAuthService, Public, type CallerInventorySnapshot } from 'nest-mtls-auth';

/**
 * `GET /callers`, on the management listener only: who calls this service. Every caller identity
 * seen on a guarded route (CN, SPIFFE ID, fingerprint), when first and last seen, its requests,
 * and per route how many were allowed, refused and would have been refused (report-only). The
 * most recent `MTLS_CALLER_INVENTORY_SIZE` identities (10,000), reset on restart: operational
 * data to write an allowlist from (`npm run doctor -- --suggest-allowlist --from <url|file>`), not
 * an audit log. Not on the main port: it names every caller.
 */
@ApiTags('Operations')
@Controller('callers')
export class CallersController {
  constructor(
    private readonly mtlsAuth: MtlsAuthService,
    private readonly management: ManagementListener,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'getCallers',
    summary: 'Who calls this service (management port only)',
    description:
      'Every caller identity seen on a guarded route, with its counts per route (allowed, refused, would be refused). Served on MANAGEMENT_PORT only; reset on restart.',
  })
  @ApiOkResponse({
    description: 'The callers, most recently seen first.',
    schema: {
      type: 'object',
      required: ['capacity', 'since', 'callers'],
      properties: {
        capacity: { type: 'integer' },
        since: { type: 'string', format: 'date-time' },
        callers: { type: 'array', items: { type: 'object' } },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'Not served on this port.', schema: schemaRef('HttpError') })
  callers(@Req() request: IncomingMessage | { raw: IncomingMessage }): CallerInventorySnapshot {
    if (!this.management.carries(request)) {
      throw new NotFoundException(
        'The callers are served on the management port only (set MANAGEMENT_PORT).',
      );
    }
    return this.mtlsAuth.callers();
  }
}
