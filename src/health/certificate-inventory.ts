import { X509Certificate } from 'node:crypto';
import { MtlsAuthService, parsePemCertificates } from 'nest-mtls-auth';
import { existsSync, readFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { OutboundConfig, TlsConfig } from '../config/app-config.js';
import { ServiceConfig } from '../config/service-config.js';
import { judgeReadiness, type Readiness } from './readiness.js';
import type {
  CertificateRole,
  CrlEntry,
  CrlState,
  ExpiryState,
  InventoryEntry,
} from './inventory-entry.js';

export type { CertificateRole, CrlEntry, CrlState, ExpiryState, InventoryEntry };

/**
 * Where a certificate stands in its validity period: `ok`, `warning` (fewer than
 * `CERT_EXPIRY_WARNING_DAYS` left), `expired`, or `not-yet-valid` (before its notBefore: a
 * certificate issued ahead of time, or a clock out of step).
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The certificates this service depends on (its server certificate, the client CAs it trusts:
 * `MTLS_CA_FILE`'s and the SPIFFE trust domains' bundles', its outbound certificate), read at start-up and after every reload, never per request, and the
 * CRLs in force (as the module loaded them). The probes, health and metrics report from
 * it; at start-up and daily it logs any certificate close to expiry and any CRL that is not
 * current (the reloader asks for the latter after every reload too), and when a probe finds that
 * one changed state, or that readiness changed.
 */
@Injectable()
export class CertificateInventory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CertificateInventory');
  private readonly tls: TlsConfig;
  private readonly outbound: OutboundConfig;
  private certificates: { name: string; role: CertificateRole; cert: X509Certificate }[] = [];
  private daily: NodeJS.Timeout | undefined;
  /** The state last logged or seen per certificate and CRL (CRLs keyed `crl:<name>`). */
  private readonly seen = new Map<string, string>();
  /** The last readiness verdict, once asked. */
  private wasReady: boolean | undefined;
  /** Days before expiry that count as a warning. */
  readonly warningDays: number;

  constructor(
    @Inject(ServiceConfig) config: ServiceConfig,
    private readonly mtlsAuth: MtlsAuthService,
  ) {
    this.tls = config.tls;
    this.outbound = config.outbound;
    this.warningDays = config.server.expiryWarningDays;
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
    const list: { name: string; role: CertificateRole; cert: X509Certificate }[] = [];
    const first = (file: string | undefined) => {
      if (!file || !existsSync(file)) return undefined;
      try {
        return new X509Certificate(readFileSync(file));
      } catch {
        return undefined;
      }
    };
    const server = this.tls.enabled && !this.tls.pfxFile ? first(this.tls.certFile) : undefined;
    if (server) list.push({ name: 'server', role: 'server', cert: server });
    try {
      for (const ca of parsePemCertificates(readFileSync(this.tls.caFile, 'utf8'))) {
        list.push({ name: caName(ca), role: 'client-ca', cert: ca });
      }
    } catch {
      // Start-up already refused an unreadable CA file; a failed reload keeps the old list.
      return;
    }
    // The CAs of the SPIFFE trust domains' bundles (MTLS_SPIFFE_BUNDLES), as the module holds them.
    for (const { trustDomain, certificate } of this.mtlsAuth.trustDomainCas) {
      const cn = caName(certificate).slice('client-ca:'.length);
      list.push({
        name: `client-ca:spiffe://${trustDomain}:${cn}`,
        role: 'client-ca',
        cert: certificate,
      });
    }
    const outbound = first(this.outbound.certFile);
    if (outbound) list.push({ name: 'outbound', role: 'outbound', cert: outbound });
    this.certificates = list;
  }

  /** Every certificate with its days remaining at `now`. */
  entries(now: number = Date.now()): InventoryEntry[] {
    return this.certificates.map(({ name, role, cert }) => {
      const notBefore = Date.parse(cert.validFrom);
      const notAfter = Date.parse(cert.validTo);
      const daysRemaining = Math.floor((notAfter - now) / DAY_MS);
      const state: ExpiryState =
        notAfter <= now
          ? 'expired'
          : now < notBefore
            ? 'not-yet-valid'
            : daysRemaining < this.warningDays
              ? 'warning'
              : 'ok';
      return {
        name,
        role,
        subject: cert.subject.replaceAll('\n', ', '),
        notBefore: new Date(notBefore).toISOString(),
        notAfter: new Date(notAfter).toISOString(),
        daysRemaining,
        state,
      };
    });
  }

  /** Every CRL in force (`MTLS_CRL_FILE`), each named by its CA, and whether it is current at `now`. */
  revocationLists(now: number = Date.now()): CrlEntry[] {
    const names = new Set<string>();
    return this.mtlsAuth.revocationLists.map(({ issuer, thisUpdate, nextUpdate }) => {
      // Two generations of a CA may share a name during a rotation: keep both entries.
      let name = caName(issuer);
      if (names.has(name)) name = `${name} (${issuer.fingerprint256.slice(0, 11)})`;
      names.add(name);
      const state: CrlState =
        nextUpdate !== undefined && now > nextUpdate.getTime()
          ? 'expired'
          : now < thisUpdate.getTime()
            ? 'not-yet-valid'
            : 'ok';
      return {
        name,
        ca: issuer.subject.replaceAll('\n', ', '),
        thisUpdate: thisUpdate.toISOString(),
        nextUpdate: nextUpdate?.toISOString() ?? null,
        state,
      };
    });
  }

  /**
   * Logs a warning (`crl.not_current`) for each CRL in force that is past its nextUpdate or before
   * its thisUpdate: nothing else says why the callers of that CA are refused.
   */
  logRevocationLists(now: number = Date.now()): void {
    for (const entry of this.revocationLists(now)) {
      this.seen.set(`crl:${entry.name}`, entry.state);
      if (entry.state !== 'ok') this.logCrl(entry);
    }
  }

  /**
   * Whether the instance can serve its callers now (`judgeReadiness`), asked by every probe. Says
   * in the logs what changed since the last look: `health.not_ready` with the reasons, or
   * `health.ready`, when the verdict changes, and `cert.expiring` or `crl.not_current` for a
   * certificate or CRL whose state changed. Probes ask every few seconds, so a certificate that
   * expires while the service runs is logged when it happens, not at the next daily line.
   */
  readiness(now: number = Date.now()): Readiness {
    const certificates = this.entries(now);
    const crls = this.revocationLists(now);
    for (const entry of certificates) {
      if (this.seen.get(entry.name) === entry.state) continue;
      this.seen.set(entry.name, entry.state);
      if (entry.state !== 'ok') this.logCertificate(entry);
    }
    for (const entry of crls) {
      if (this.seen.get(`crl:${entry.name}`) === entry.state) continue;
      this.seen.set(`crl:${entry.name}`, entry.state);
      if (entry.state !== 'ok') this.logCrl(entry);
    }
    const verdict = judgeReadiness(certificates, crls);
    if (verdict.ready !== this.wasReady) {
      if (!verdict.ready) {
        this.logger.error({
          msg: `not ready: ${verdict.reasons.map((r) => r.message).join(' ')}`,
          event: 'health.not_ready',
          reasons: verdict.reasons,
        });
      } else if (this.wasReady === false) {
        this.logger.log({ msg: 'ready again', event: 'health.ready' });
      }
      this.wasReady = verdict.ready;
    }
    return verdict;
  }

  private logCrl(entry: CrlEntry): void {
    const why =
      entry.state === 'expired'
        ? `is past its nextUpdate (${entry.nextUpdate}): publish a current CRL; until then every certificate whose chain runs through this CA is refused`
        : `is not valid before its thisUpdate (${entry.thisUpdate}): check the clocks; until then every certificate whose chain runs through this CA is refused`;
    this.logger.warn({
      msg: `the CRL of ${entry.ca} ${why}`,
      event: 'crl.not_current',
      file: this.tls.crlFile,
      ...entry,
    });
  }

  private logCertificate(entry: InventoryEntry): void {
    const what =
      entry.state === 'expired'
        ? 'expired'
        : entry.state === 'not-yet-valid'
          ? 'is not valid yet'
          : 'expires soon';
    this.logger.warn({ msg: `certificate ${what}`, event: 'cert.expiring', ...entry });
  }

  private logExpiring(): void {
    for (const entry of this.entries()) {
      this.seen.set(entry.name, entry.state);
      if (entry.state !== 'ok') this.logCertificate(entry);
    }
    this.logRevocationLists();
  }
}

/** `client-ca:<CN>` (the fingerprint's start for a CA without a CN). */
function caName(ca: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(ca.subject)?.[1] ?? ca.fingerprint256.slice(0, 11);
  return `client-ca:${cn}`;
}
