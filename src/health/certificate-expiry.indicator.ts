import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CertificateInventory } from './certificate-inventory.js';

/**
 * Terminus indicator `certificates`: each certificate with its days remaining and a state
 * (`ok`, `warning` under `CERT_EXPIRY_WARNING_DAYS`, `expired`). Down only when one has expired:
 * a warning is for people, not a reason to pull the instance out of rotation.
 */
@Injectable()
export class CertificateExpiryIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly inventory: CertificateInventory,
  ) {}

  check(key = 'certificates') {
    const indicator = this.health.check(key);
    const entries = this.inventory.entries();
    const data = Object.fromEntries(entries.map(({ name, ...rest }) => [name, rest]));
    const warning = entries.some((e) => e.state !== 'ok');
    return entries.some((e) => e.state === 'expired')
      ? indicator.down({ warning, ...data })
      : indicator.up({ warning, ...data });
  }
}
