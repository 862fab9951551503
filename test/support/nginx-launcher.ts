// The nginx runner is shared with the benchmark (plain JS); this file adds the test-only policy.
import { findNginx } from '../../scripts/lib/nginx.mjs';

export { findNginx, renderTemplate, startNginx } from '../../scripts/lib/nginx.mjs';
export type RunningNginx = Awaited<
  ReturnType<typeof import('../../scripts/lib/nginx.mjs').startNginx>
>;

/**
 * Whether the nginx tests can run: in CI (`CI=true`) a missing nginx fails the run; locally the
 * tests are skipped, loudly.
 */
export function nginxAvailability(): { available: boolean } {
  const available = findNginx() !== undefined;
  if (!available) {
    if (process.env.CI === 'true')
      throw new Error('nginx is required in CI (apt-get install -y nginx)');
    process.stderr.write(
      '\n*** nginx is not installed: the nginx e2e tests are SKIPPED (apt-get install -y nginx) ***\n\n',
    );
  }
  return { available };
}
