import { describe, expect, it } from 'vitest';
import { COARSE_CLOCK_RESOLUTION_MS, coarseNow } from '../../src/cache/coarse-clock.js';

describe('coarseNow', () => {
  it('is the wall clock, at most one resolution step behind, and keeps moving', async () => {
    const first = coarseNow();
    expect(Math.abs(Date.now() - first)).toBeLessThanOrEqual(COARSE_CLOCK_RESOLUTION_MS);
    await new Promise((resolve) => setTimeout(resolve, COARSE_CLOCK_RESOLUTION_MS * 3));
    const later = coarseNow();
    expect(later).toBeGreaterThan(first);
    expect(Date.now() - later).toBeLessThanOrEqual(COARSE_CLOCK_RESOLUTION_MS * 2);
  });
});
