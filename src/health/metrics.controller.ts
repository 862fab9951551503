import type { IncomingMessage } from 'node:http';
import { Controller, Get, Header, Inject, NotFoundException, Req } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '../openapi/openapi.decorators.js';
import type { ServerConfig } from '../config/app-config.js';
import { ServiceConfig } from '../config/service-config.js';
import { ManagementListener } from './management-listener.js';
import { MetricsRegistry } from './metrics.registry.js';
import { schemaRef } from '../openapi/schema-ref.js';
import { Public } from 'nest-mtls-auth';

/**
 * `GET /metrics`: Prometheus text format, public. Always on the management port; on the main port
 * only when `METRICS_ON_MAIN_PORT=true`, or, with it unset, when there is no `MANAGEMENT_PORT` and
 * `NODE_ENV` is not `production` (404 otherwise): the metrics name every client CA and count
 * refusals, which is not for every caller that can reach the main port.
 */
@ApiTags('Metrics')
@Controller('metrics')
export class MetricsController {
  private readonly server: ServerConfig;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly management: ManagementListener,
    @Inject(ServiceConfig) config: ServiceConfig,
  ) {
    this.server = config.server;
  }

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'Certificate expiry, authentication outcomes by reason code, caller-cache fill, process metrics. Always on the management port; on the main port only with METRICS_ON_MAIN_PORT=true, or without MANAGEMENT_PORT outside production.',
  })
  @ApiOkResponse({
    description: 'Prometheus text format.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({
    description: 'Not served on this port.',
    schema: schemaRef('HttpError'),
  })
  metrics(@Req() request: IncomingMessage | { raw: IncomingMessage }): Promise<string> {
    if (!this.server.metricsOnMainPort && !this.management.carries(request)) {
      // Decided from the configuration, not from whether the management listener is up yet.
      throw new NotFoundException(
        this.server.managementPort === undefined
          ? 'Metrics are not served on this port: set MANAGEMENT_PORT, or METRICS_ON_MAIN_PORT=true.'
          : 'Metrics are served on the management port.',
      );
    }
    return this.registry.metrics();
  }
}
