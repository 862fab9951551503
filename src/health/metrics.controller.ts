import type { IncomingMessage } from 'node:http';
import { Controller, Get, Header, Inject, NotFoundException, Req } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ManagementListener } from './management-listener.js';
import { METRICS_REGISTRY } from './metrics.registry.js';
import { Public } from 'nest-mtls-auth';

/**
 * `GET /metrics`: Prometheus text format, public. With `MANAGEMENT_PORT` set it is served there
 * only (404 on the main port), which is how production should run it.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly management: ManagementListener,
  ) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(@Req() request: IncomingMessage | { raw: IncomingMessage }): Promise<string> {
    if (this.management.active && !this.management.carries(request)) {
      throw new NotFoundException('Metrics are served on the management port.');
    }
    return this.registry.metrics();
  }
}
