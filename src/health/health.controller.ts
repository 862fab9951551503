import type { IncomingMessage } from 'node:http';
import { Controller, Get, Req, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { CertificateExpiryIndicator } from './certificate-expiry.indicator.js';
import { ManagementListener } from './management-listener.js';
import { RevocationListIndicator } from './revocation-list.indicator.js';
import { ClientCertAuthenticator, Public } from 'nest-mtls-auth';

/** What `/health` tells a caller who may not see the details: up or down. */
export interface HealthStatus {
  readonly status: HealthCheckResult['status'];
}

/**
 * `GET /health`: readiness for load balancers and orchestrators; public, so probes need no
 * certificate in `allow` mode. Anyone gets up or down (`{"status":"ok"}`, or 503 with
 * `{"status":"error"}`); the expiry of every certificate the service depends on (subjects and
 * dates) and the state of each CRL only on the management port or for an authenticated caller.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly certificates: CertificateExpiryIndicator,
    private readonly crls: RevocationListIndicator,
    private readonly management: ManagementListener,
    private readonly authenticator: ClientCertAuthenticator,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  async check(
    @Req() request: IncomingMessage | { raw: IncomingMessage },
  ): Promise<HealthCheckResult | HealthStatus> {
    const detailed =
      this.management.carries(request) || this.authenticator.authenticate(request).ok;
    try {
      const result = await this.health.check([
        () => this.certificates.check(),
        ...(this.crls.applies ? [() => this.crls.check()] : []),
      ]);
      return detailed ? result : { status: result.status };
    } catch (error) {
      if (detailed || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException({ status: 'error' });
    }
  }
}
