#!/usr/bin/env node
/**
 * What `npm pack` and `npm publish` of a workspace package ship (its `prepack` / `postpack`
 * scripts run this, in the package's folder):
 *
 * - `prepack`: a clean build (`npm run build`, `dist/` removed first, so no output of a deleted source ships), then
 *   package.json without its `source` export conditions. In this repository they point the tests,
 *   the type-checker and dependency-cruiser at `src/*.ts`; the tarball has no `src/`, and a user's
 *   tooling that enables a `source` condition would resolve to a file that is not there.
 * - `postpack`: package.json back as it was.
 *
 * The original is kept beside it until `postpack`, so a pack that failed half-way is undone by the
 * next one.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const KEPT = '.package.json.before-pack';

/** An `exports` value without its `source` conditions. */
function withoutSource(value) {
  if (Array.isArray(value)) return value.map(withoutSource);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'source')
      .map(([key, inner]) => [key, withoutSource(inner)]),
  );
}

function prepack() {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST); // an earlier pack stopped half-way
  rmSync('dist', { recursive: true, force: true });
  // The package's own build: tsc, then the bundles (rolldown.config.mjs).
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  copyFileSync(MANIFEST, KEPT);
  manifest.exports = withoutSource(manifest.exports);
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

function postpack() {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
}

const step = process.argv[2];
if (step === 'prepack') prepack();
else if (step === 'postpack') postpack();
else {
  process.stderr.write('usage: node scripts/package-manifest.mjs prepack|postpack\n');
  process.exit(2);
}
