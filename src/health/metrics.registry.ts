import { Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { CertificateInventory } from './certificate-inventory.js';
import { MtlsAuthService } from 'nest-mtls-auth';

/**
 * This application's Prometheus registry, made on the first scrape. Every metric here is read
 * when scraped, so nothing before then needs prom-client, whose load (with
 * `@opentelemetry/api`, about 80 modules) costs every start-up ~15 ms (npm run bench:startup).
 * The process metrics (CPU seconds, event-loop lag, GC) count from the first scrape on.
 */
@Injectable()
export class MetricsRegistry {
  private registry: Promise<Registry> | undefined;

  constructor(
    private readonly mtlsAuth: MtlsAuthService,
    private readonly inventory: CertificateInventory,
  ) {}

  /** The metrics in Prometheus text format. */
  async metrics(): Promise<string> {
    this.registry ??= createMetricsRegistry(this.mtlsAuth, this.inventory).catch(
      (error: unknown) => {
        this.registry = undefined; // the next scrape tries again
        throw error;
      },
    );
    return (await this.registry).metrics();
  }
}

/**
 * One registry per application (not prom-client's global one, so several apps in a process keep
 * apart): process metrics, certificate expiry gauges, and authentication outcomes. Values are
 * read when scraped; nothing on the request path touches prom-client.
 */
async function createMetricsRegistry(
  mtlsAuth: MtlsAuthService,
  inventory: CertificateInventory,
): Promise<Registry> {
  const { collectDefaultMetrics, Counter, Gauge, Registry } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'mtls_certificate_expiry_days',
    help: 'Days until each certificate the service depends on expires (negative: expired).',
    labelNames: ['certificate'],
    registers: [registry],
    collect() {
      this.reset();
      for (const e of inventory.entries()) this.set({ certificate: e.name }, e.daysRemaining);
    },
  });
  new Gauge({
    name: 'mtls_certificate_not_after_seconds',
    help: 'Expiry time of each certificate the service depends on, Unix seconds.',
    labelNames: ['certificate'],
    registers: [registry],
    collect() {
      this.reset();
      for (const e of inventory.entries())
        this.set({ certificate: e.name }, Date.parse(e.notAfter) / 1000);
    },
  });
  new Gauge({
    name: 'mtls_caller_cache_entries',
    help: 'Callers whose outcome is remembered, by source (at most MTLS_CALLER_CACHE_SIZE each).',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      const cached = mtlsAuth.cachedCallers;
      this.set({ source: 'tls' }, cached.tls);
      this.set({ source: 'forwarded' }, cached.forwarded);
    },
  });
  const outcomes = new Counter({
    name: 'mtls_auth_outcomes_total',
    help: 'Client-certificate authentication outcomes, by result, reason code and source.',
    labelNames: ['result', 'code', 'source'],
    registers: [registry],
    collect() {
      const { accepted, refused } = mtlsAuth.metrics();
      outcomes.reset();
      for (const source of ['tls', 'forwarded'] as const) {
        outcomes.inc({ result: 'authenticated', code: 'none', source }, accepted[source]);
      }
      for (const { code, source, count } of refused) {
        outcomes.inc({ result: 'rejected', code, source }, count);
      }
    },
  });
  const wouldReject = new Counter({
    name: 'mtls_would_reject_total',
    help: 'Requests that report-only enforcement let through and enforcement would refuse, by reason code and route.',
    labelNames: ['code', 'route'],
    registers: [registry],
    collect() {
      wouldReject.reset();
      for (const { code, route, count } of mtlsAuth.metrics().wouldReject) {
        wouldReject.inc({ code, route }, count);
      }
    },
  });
  return registry;
}
