// The nginx runner is shared with the benchmark (plain JS); this file adds the test-only policy.
import { findNginx } from '../../scripts/lib/nginx.mjs';
import { binaryAvailability } from './proxy-binary.js';

export { findNginx, renderTemplate, startNginx } from '../../scripts/lib/nginx.mjs';
export type RunningNginx = Awaited<
  ReturnType<typeof import('../../scripts/lib/nginx.mjs').startNginx>
>;

/**
 * Whether the nginx tests can run: in CI (`CI=true`) a missing nginx fails the run; locally the
 * tests are skipped, loudly.
 */
export function nginxAvailability(): { available: boolean } {
  return binaryAvailability('nginx', findNginx(), 'the nginx e2e tests');
}
