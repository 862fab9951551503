import { describe, expect, it } from 'vitest';
import { COARSE_CLOCK_RESOLUTION_MS, CoarseClock } from '../../src/records/coarse-clock.js';

describe('CoarseClock', () => {
  it('is the wall clock, at most one resolution step behind, and keeps moving', async () => {
    const clock = new CoarseClock();
    const first = clock.now();
    expect(Math.abs(Date.now() - first)).toBeLessThanOrEqual(COARSE_CLOCK_RESOLUTION_MS);
    await new Promise((resolve) => setTimeout(resolve, COARSE_CLOCK_RESOLUTION_MS * 3));
    const later = clock.now();
    expect(later).toBeGreaterThan(first);
    expect(Date.now() - later).toBeLessThanOrEqual(COARSE_CLOCK_RESOLUTION_MS * 2);
    clock.stop();
  });

  it('stops ticking when stopped, and starts again on the next read', async () => {
    const clock = new CoarseClock();
    const first = clock.now();
    clock.stop();
    await new Promise((resolve) => setTimeout(resolve, COARSE_CLOCK_RESOLUTION_MS * 2));
    expect(clock.now()).toBeGreaterThan(first);
    clock.stop();
  });
});
