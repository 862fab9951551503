import { X509Certificate } from 'node:crypto';
import { parsePemCertificates } from 'nest-mtls-auth';
import { existsSync, readFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { OutboundConfig, TlsConfig } from '../config/app-config.js';

/** How close to expiry a certificate is. */
export type ExpiryState = 'ok' | 'warning' | 'expired';

/** One certificate the service depends on, and how long it has left. */
export interface InventoryEntry {
  /** `server`, `client-ca:<CN>`, `outbound`. */
  readonly name: string;
  readonly subject: string;
  readonly notAfter: string;
  readonly daysRemaining: number;
  readonly state: ExpiryState;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The certificates this service depends on (its server certificate, the client CAs it trusts,
 * its outbound certificate), read at start-up and after every reload, never per request. Health
 * and metrics report from it; at start-up and daily it logs any certificate close to expiry.
 */
@Injectable()
export class CertificateInventory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CertificateInventory');
  private readonly tls: TlsConfig;
  private readonly outbound: OutboundConfig;
  private certificates: { name: string; cert: X509Certificate }[] = [];
  private daily: NodeJS.Timeout | undefined;
  /** Days before expiry that count as a warning. */
  readonly warningDays: number;

  constructor(@Inject(ConfigService) config: ConfigService) {
    this.tls = config.getOrThrow<TlsConfig>('tls');
    this.outbound = config.getOrThrow<OutboundConfig>('outbound');
    this.warningDays = config.getOrThrow<{ expiryWarningDays: number }>('server').expiryWarningDays;
    this.refresh();
  }

  onApplicationBootstrap(): void {
    this.logExpiring();
    this.daily = setInterval(() => this.logExpiring(), DAY_MS);
    this.daily.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.daily);
  }

  /** Reads the certificate files again (after a reload). Unreadable files are skipped, not fatal. */
  refresh(): void {
    const list: { name: string; cert: X509Certificate }[] = [];
    const first = (file: string | undefined) => {
      if (!file || !existsSync(file)) return undefined;
      try {
        return new X509Certificate(readFileSync(file));
      } catch {
        return undefined;
      }
    };
    const server = this.tls.enabled && !this.tls.pfxFile ? first(this.tls.certFile) : undefined;
    if (server) list.push({ name: 'server', cert: server });
    try {
      for (const ca of parsePemCertificates(readFileSync(this.tls.caFile, 'utf8'))) {
        const cn = /(?:^|\n)CN=([^\n]*)/.exec(ca.subject)?.[1] ?? ca.fingerprint256.slice(0, 11);
        list.push({ name: `client-ca:${cn}`, cert: ca });
      }
    } catch {
      // Start-up already refused an unreadable CA file; a failed reload keeps the old list.
      return;
    }
    const outbound = first(this.outbound.certFile);
    if (outbound) list.push({ name: 'outbound', cert: outbound });
    this.certificates = list;
  }

  /** Every certificate with its days remaining at `now`. */
  entries(now: number = Date.now()): InventoryEntry[] {
    return this.certificates.map(({ name, cert }) => {
      const notAfter = Date.parse(cert.validTo);
      const daysRemaining = Math.floor((notAfter - now) / DAY_MS);
      const state: ExpiryState =
        notAfter <= now ? 'expired' : daysRemaining < this.warningDays ? 'warning' : 'ok';
      return {
        name,
        subject: cert.subject.replaceAll('\n', ', '),
        notAfter: new Date(notAfter).toISOString(),
        daysRemaining,
        state,
      };
    });
  }

  private logExpiring(): void {
    for (const entry of this.entries()) {
      if (entry.state !== 'ok') {
        this.logger.warn({
          msg: `certificate ${entry.state === 'expired' ? 'expired' : 'expires soon'}`,
          event: 'cert.expiring',
          ...entry,
        });
      }
    }
  }
}
