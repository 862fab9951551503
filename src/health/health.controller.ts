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
 * dates) and the state of each CRL only on the management port, or on the main port to an
 * authenticated caller that the service-wide allowlist accepts.
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
    const detailed = this.management.carries(request) || (await this.mayReadDetails(request));
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

  /**
   * `true` for a caller the service would let through to a guarded route as far as the service
   * goes: authenticated (OCSP included, when on) and accepted by the service-wide allowlist
   * (`MTLS_ALLOWED_SERVICES`). Certificate subjects and dates are not for every holder of a
   * certificate from a trusted CA.
   */
  private async mayReadDetails(
    request: IncomingMessage | { raw: IncomingMessage },
  ): Promise<boolean> {
    const outcome = await this.authenticator.authenticateAsync(request);
    if (!outcome.ok) return false;
    const allowlist = this.authenticator.allowedServices;
    return allowlist === undefined || allowlist(outcome.identity);
  }
}
