import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Public } from '../mtls-auth/decorators/public.decorator.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

/** `GET /metrics`: Prometheus text format; public, like `/health`. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
