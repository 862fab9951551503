import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CertificateExpiryIndicator } from './certificate-expiry.indicator.js';
import { CertificateInventory } from './certificate-inventory.js';
import { CallersController } from './callers.controller.js';
import { HealthController } from './health.controller.js';
import { ManagementListener } from './management-listener.js';
import { MetricsController } from './metrics.controller.js';
import { RevocationListIndicator } from './revocation-list.indicator.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * The probes: `/health/live`, `/health/ready` and `/health` (terminus, with certificate expiry and
 * CRL state; details only for the management port and authenticated callers the service-wide
 * allowlist accepts), `/metrics` (Prometheus; on the management port when there is one), and
 * `/callers` (who calls this service; on the management port only).
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController, CallersController],
  providers: [
    ManagementListener,
    CertificateInventory,
    CertificateExpiryIndicator,
    RevocationListIndicator,
    MetricsRegistry,
  ],
  exports: [CertificateInventory, ManagementListener],
})
export class HealthModule {}
