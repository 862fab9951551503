import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../mtls-auth/decorators/public.decorator.js';
import { CertificateExpiryIndicator } from './certificate-expiry.indicator.js';

/**
 * `GET /health`: readiness for load balancers and orchestrators, with the expiry of every
 * certificate the service depends on; public, so probes need no certificate in `allow` mode.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly certificates: CertificateExpiryIndicator,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.certificates.check()]);
  }
}
