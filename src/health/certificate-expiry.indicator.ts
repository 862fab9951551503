import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CertificateInventory } from './certificate-inventory.js';

/**
 * Terminus indicator `certificates`: each certificate with its validity dates, days remaining and
 * a state (`ok`, `warning` under `CERT_EXPIRY_WARNING_DAYS`, `expired`, `not-yet-valid`), and
 * `warning: true` when one is not `ok`. Down exactly when the instance is not ready (see
 * `judgeReadiness`: the server certificate, or every CA of the bundle, outside its validity
 * period); anything else is a warning for people, not a reason to pull the instance out of
 * rotation.
 */
@Injectable()
export class CertificateExpiryIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly inventory: CertificateInventory,
  ) {}

  check(key = 'certificates') {
    const indicator = this.health.check(key);
    const { ready } = this.inventory.readiness();
    const entries = this.inventory.entries();
    // The role is already in each name (`server`, `client-ca:<CN>`, `outbound`).
    const data = Object.fromEntries(
      entries.map((e) => [
        e.name,
        {
          subject: e.subject,
          notBefore: e.notBefore,
          notAfter: e.notAfter,
          daysRemaining: e.daysRemaining,
          state: e.state,
        },
      ]),
    );
    const warning = entries.some((e) => e.state !== 'ok');
    return ready ? indicator.up({ warning, ...data }) : indicator.down({ warning, ...data });
  }
}
