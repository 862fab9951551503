import type { IdentitySource } from '../x509/client-identity.js';
import type { MtlsReasonCode } from '../x509/reason-code.js';

/** One count of refusals. */
export interface RefusalCount {
  readonly code: MtlsReasonCode;
  readonly source: IdentitySource;
  readonly count: number;
}

/** What {@link AuthMetrics.snapshot} reports. */
export interface AuthMetricsSnapshot {
  /** Requests let through, by where the identity came from. */
  readonly accepted: { readonly tls: number; readonly forwarded: number };
  /** Requests refused, by reason code and source. */
  readonly refused: readonly RefusalCount[];
}

/**
 * Authentication outcomes so far: plain counters on the request path (a field increment per
 * accepted request), read when a metrics endpoint is scraped.
 */
export class AuthMetrics {
  private readonly accepted = { tls: 0, forwarded: 0 };
  private readonly refusals = new Map<MtlsReasonCode, { tls: number; forwarded: number }>();

  accept(source: IdentitySource): void {
    if (source === 'tls') this.accepted.tls++;
    else this.accepted.forwarded++;
  }

  refuse(code: MtlsReasonCode, source: IdentitySource): void {
    let counts = this.refusals.get(code);
    if (!counts) this.refusals.set(code, (counts = { tls: 0, forwarded: 0 }));
    counts[source]++;
  }

  snapshot(): AuthMetricsSnapshot {
    const refused: RefusalCount[] = [];
    for (const [code, counts] of this.refusals) {
      for (const source of ['tls', 'forwarded'] as const) {
        if (counts[source] > 0) refused.push({ code, source, count: counts[source] });
      }
    }
    return { accepted: { ...this.accepted }, refused };
  }
}
