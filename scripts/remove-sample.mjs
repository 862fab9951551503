#!/usr/bin/env node
/**
 * npm run remove-sample: deletes the sample routes of the starter, in one step, leaving a service
 * with authentication, health, metrics and nothing else:
 *   - src/example/ and its tests (test/example/),
 *   - requests.http and http-client.env.json (they call the sample routes),
 *   - the two lines marked "// sample" in src/features.ts.
 * Then `npm run build && npm test` pass (CI checks it: scripts/check-sample-removal.sh).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;
const removed = [];
for (const path of ['src/example', 'test/example', 'requests.http', 'http-client.env.json']) {
  if (!existsSync(root + path)) continue;
  rmSync(root + path, { recursive: true, force: true });
  removed.push(path);
}
const features = `${root}src/features.ts`;
const text = readFileSync(features, 'utf8');
const kept = text
  .split('\n')
  .filter((line) => !line.trimEnd().endsWith('// sample'))
  .join('\n');
if (kept !== text) {
  writeFileSync(features, kept);
  removed.push('the sample lines of src/features.ts');
}
process.stdout.write(
  removed.length === 0
    ? 'The sample is already gone.\n'
    : `Removed ${removed.join(', ')}.\nAdd your own feature module to src/features.ts, and its e2e spec after test/features/payments.e2e-spec.ts.\n`,
);
