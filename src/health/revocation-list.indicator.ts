import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CertificateInventory } from './certificate-inventory.js';

/**
 * Terminus indicator `crls`: each CRL in force (`MTLS_CRL_FILE`), named by its CA, with its
 * thisUpdate, nextUpdate and a state (`ok`, `expired` past nextUpdate, `not-yet-valid` before
 * thisUpdate), and `warning: true` when one is not `ok`. Always up: a stale CRL refuses that CA's
 * callers, which the instance cannot mend by being pulled out of rotation, so it is a warning for
 * people, as the logs' `crl.not_current` is.
 */
@Injectable()
export class RevocationListIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly inventory: CertificateInventory,
  ) {}

  /** `true` when CRLs are loaded (without them the indicator is left out of /health). */
  get applies(): boolean {
    return this.inventory.revocationLists().length > 0;
  }

  check(key = 'crls') {
    const entries = this.inventory.revocationLists();
    const data = Object.fromEntries(entries.map(({ name, ...rest }) => [name, rest]));
    return this.health.check(key).up({ warning: entries.some((e) => e.state !== 'ok'), ...data });
  }
}
