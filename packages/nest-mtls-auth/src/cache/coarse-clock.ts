/**
 * Wall-clock time read every {@link COARSE_CLOCK_RESOLUTION_MS}, for the per-request validity
 * check of remembered identities (a certificate that expires on an open keep-alive connection).
 *
 * `Date.now()` is a call into V8's runtime: measured with perf on the Express benchmark, about
 * 0.25 µs per call, over 0.5% of a guarded request on Node 24. The price of reading a variable
 * instead is that an expiring certificate is refused up to this many milliseconds late on a
 * connection that is already open; the TLS handshake of every new connection checks validity
 * against the exact time.
 */
export const COARSE_CLOCK_RESOLUTION_MS = 250;

let now = 0;
let ticker: NodeJS.Timeout | undefined;

/** Epoch milliseconds, at most {@link COARSE_CLOCK_RESOLUTION_MS} old. */
export function coarseNow(): number {
  if (ticker === undefined) {
    now = Date.now();
    ticker = setInterval(() => {
      now = Date.now();
    }, COARSE_CLOCK_RESOLUTION_MS);
    // The clock must never keep a process alive.
    ticker.unref();
  }
  return now;
}
