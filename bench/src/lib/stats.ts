/** The statistics the benchmarks read: medians, and ratios of samples paired in time. */

/** The median of `xs` (0 for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

/**
 * `a` over `b` as the median of the paired samples' ratios (`a[i] / b[i]`, samples taken back to
 * back, so drift in the machine's speed cancels out).
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / (b[i] ?? Infinity)));
}

/** `median µs (quartiles q1–q3)` of `values`, one decimal. */
export function quartiles(values: readonly number[]): string {
  const sorted = values.toSorted((a, b) => a - b);
  const at = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]?.toFixed(1);
  return `median ${at(0.5)} µs (quartiles ${at(0.25)}–${at(0.75)})`;
}
