import { buildIfStale } from '../scripts/lib/build-freshness.mjs';

/**
 * Vitest global setup: builds `dist/` once, before any test file runs, when it is missing or older
 * than the sources. Some tests run the built service as a container does (with the test routes:
 * scripts/fixture-server.mjs over `dist/`; `dist/healthcheck.js`) and must run the code as it is
 * now; `npm test` then needs no build first.
 * Synchronous, so the projects that share it build at most once between them.
 */
export default function setup(): void {
  buildIfStale(new URL('../', import.meta.url).pathname, (line) => {
    process.stderr.write(`[build] ${line}\n`);
  });
}
