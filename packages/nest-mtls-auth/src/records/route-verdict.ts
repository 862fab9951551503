import type { MtlsReasonCode } from '../x509/reason-code.js';
import type { RouteTally } from './caller-inventory.js';

/** A count that the metrics endpoint reads (one object per route and code, shared). */
export interface Counter {
  count: number;
}

/**
 * What authorization decided for one caller (an entry) on one route, remembered on the entry:
 * a keep-alive caller is matched against the route's patterns once, not on every request.
 */
export class RouteVerdict {
  /** Report-only: the `mtls.would_reject` line was written for this caller and route. */
  reported = false;

  constructor(
    /** The refusal enforcement would give; `undefined`: allowed. */
    readonly code: MtlsReasonCode | undefined,
    /** `false`: report-only, the caller is let through. */
    readonly enforced: boolean,
    /** The caller's tally on the route in the inventory (`undefined` when it is off). */
    public tally: RouteTally | undefined,
    /** `mtls_would_reject_total{code,route}` for a report-only refusal. */
    readonly wouldReject: Counter | undefined,
  ) {}
}
