import type { Counter } from '../records/route-verdict.js';
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
  /** Requests report-only enforcement let through that enforcement would refuse. */
  readonly wouldReject: readonly WouldRejectCount[];
}

/** One count of would-be refusals (`mtls_would_reject_total{code,route}`). */
export interface WouldRejectCount {
  readonly code: MtlsReasonCode;
  readonly route: string;
  readonly count: number;
}

/**
 * Authentication outcomes so far: plain counters on the request path (a field increment per
 * accepted request), read when a metrics endpoint is scraped.
 */
export class AuthMetrics {
  private readonly accepted = { tls: 0, forwarded: 0 };
  private readonly refusals = new Map<MtlsReasonCode, { tls: number; forwarded: number }>();
  private readonly wouldRejects = new Map<string, Map<MtlsReasonCode, Counter>>();

  accept(source: IdentitySource): void {
    if (source === 'tls') this.accepted.tls++;
    else this.accepted.forwarded++;
  }

  refuse(code: MtlsReasonCode, source: IdentitySource): void {
    let counts = this.refusals.get(code);
    if (!counts) this.refusals.set(code, (counts = { tls: 0, forwarded: 0 }));
    counts[source]++;
  }

  /**
   * The counter of would-be refusals with `code` on `route`: one object per pair, which a caller's
   * remembered verdict holds, so a request counts with one increment.
   */
  wouldReject(code: MtlsReasonCode, route: string): Counter {
    let byCode = this.wouldRejects.get(route);
    if (!byCode) this.wouldRejects.set(route, (byCode = new Map<MtlsReasonCode, Counter>()));
    let counter = byCode.get(code);
    if (!counter) byCode.set(code, (counter = { count: 0 }));
    return counter;
  }

  snapshot(): AuthMetricsSnapshot {
    const refused: RefusalCount[] = [];
    for (const [code, counts] of this.refusals) {
      for (const source of ['tls', 'forwarded'] as const) {
        if (counts[source] > 0) refused.push({ code, source, count: counts[source] });
      }
    }
    const wouldReject: WouldRejectCount[] = [];
    for (const [route, byCode] of this.wouldRejects) {
      for (const [code, { count }] of byCode) wouldReject.push({ code, route, count });
    }
    return { accepted: { ...this.accepted }, refused, wouldReject };
  }
}
