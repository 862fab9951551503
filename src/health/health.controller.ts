import type { IncomingMessage } from 'node:http';
import { Controller, Get, Header, Req, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '../openapi/openapi.decorators.js';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { schemaRef } from '../openapi/schema-ref.js';
import { CertificateExpiryIndicator } from './certificate-expiry.indicator.js';
import { CertificateInventory } from './certificate-inventory.js';
import { ManagementListener } from './management-listener.js';
import type { ReadinessNote } from './readiness.js';
import { RevocationListIndicator } from './revocation-list.indicator.js';
import { MtlsAuthService, Public } from 'nest-mtls-auth';

/** What a probe tells a caller who may not see the details: up or down. */
export interface HealthStatus {
  readonly status: HealthCheckResult['status'];
}

/** `/health/ready` where its details may be shown: why it is not ready, and what needs attention. */
export interface ReadinessStatus extends HealthStatus {
  /** Only when not ready. */
  readonly reasons?: readonly ReadinessNote[];
  readonly warnings?: readonly ReadinessNote[];
}

/** Probes are asked every few seconds; an answer from a cache in between is worse than none. */
const NO_CACHE = ['Cache-Control', 'no-cache, no-store, must-revalidate'] as const;

/**
 * The probes, public, so that they need no certificate in `allow` mode (on the management port,
 * none in any mode):
 *
 * - `GET /health/live`: the process serves. `{"status":"ok"}` whenever the event loop answers;
 *   it depends on no certificate, so an orchestrator never restarts an instance for something a
 *   restart cannot mend.
 * - `GET /health/ready`: the instance can serve its callers (`judgeReadiness`: the server
 *   certificate and at least one CA of the bundle within their validity periods). 200
 *   `{"status":"ok"}` or 503 `{"status":"error"}`; with details, `reasons` (when not ready) and
 *   `warnings` (an expired or expiring outbound certificate, a stale CRL, a CA of the bundle out
 *   of date beside current ones, a server certificate close to expiry).
 * - `GET /health`: the same verdict and status code, with the details: every certificate the
 *   service depends on (subjects and dates) and the state of each CRL.
 *
 * Details (those of `/health`, and `reasons`/`warnings` of `/health/ready`) only on the management
 * port, or on the main port to an authenticated caller that the service-wide allowlist accepts;
 * anyone else gets the bare status with the same status code.
 */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly certificates: CertificateExpiryIndicator,
    private readonly crls: RevocationListIndicator,
    private readonly inventory: CertificateInventory,
    private readonly management: ManagementListener,
    private readonly mtlsAuth: MtlsAuthService,
  ) {}

  /** Liveness: answers as long as the process does. */
  @Public()
  @Get('live')
  @Header(...NO_CACHE)
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers',
    description:
      'Depends on no certificate: an orchestrator restarts an instance only when it hangs.',
  })
  @ApiOkResponse({ description: 'The process serves.', schema: schemaRef('HealthStatus') })
  live(): HealthStatus {
    return { status: 'ok' };
  }

  /** Readiness: 503 while the server certificate or the trust is unusable. */
  @Public()
  @Get('ready')
  @Header(...NO_CACHE)
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the instance can serve its callers',
    description:
      'Not ready while the server certificate is expired or not yet valid, or no CA of the bundle is valid. An outbound certificate out of date or a stale CRL is a warning. `reasons` and `warnings` only on the management port or for a caller the service-wide allowlist accepts.',
  })
  @ApiOkResponse({ description: 'Ready.', schema: schemaRef('Readiness') })
  @ApiServiceUnavailableResponse({ description: 'Not ready.', schema: schemaRef('Readiness') })
  async ready(
    @Req() request: IncomingMessage | { raw: IncomingMessage },
  ): Promise<ReadinessStatus> {
    const verdict = this.inventory.readiness();
    const detailed = this.management.carries(request) || (await this.mayReadDetails(request));
    if (!verdict.ready) {
      throw new ServiceUnavailableException(
        detailed
          ? { status: 'error', reasons: verdict.reasons, warnings: verdict.warnings }
          : { status: 'error' },
      );
    }
    return detailed ? { status: 'ok', warnings: verdict.warnings } : { status: 'ok' };
  }

  /** The details: certificates and CRLs, with the readiness verdict as the status. */
  @Public()
  @Get()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Health, with certificate and CRL details',
    description:
      'The status of `/health/ready`. `info`, `error` and `details` (every certificate the service depends on, every CRL) only on the management port or for a caller the service-wide allowlist accepts.',
  })
  @ApiOkResponse({ description: 'Ready.', schema: schemaRef('HealthReport') })
  @ApiServiceUnavailableResponse({ description: 'Not ready.', schema: schemaRef('HealthReport') })
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
    return (await this.mtlsAuth.allowedCaller(request)) !== undefined;
  }
}
