#!/usr/bin/env node
/**
 * `npm run build`, only when `dist/` is missing or older than the sources (scripts/lib/
 * build-freshness.mjs). For the npm scripts that run built code or import the package's `dist/`
 * (`npm run certs`, `start:dev`, `bench:peer-read`); the tests do the same in test/global-setup.ts.
 */
import { buildIfStale } from './lib/build-freshness.mjs';

try {
  buildIfStale(new URL('../', import.meta.url).pathname);
} catch (error) {
  process.stderr.write(`The build failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
