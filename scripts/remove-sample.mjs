#!/usr/bin/env node
/**
 * npm run remove-sample: deletes the sample routes of the starter, in one step, leaving a service
 * with authentication, health, metrics and nothing else:
 *   - src/example/ and its tests (test/example/),
 *   - requests.http and http-client.env.json (they call the sample routes),
 *   - the lines marked "// sample" in src/features.ts,
 *   - the "sample routes" section of .env.example (its setting, EXAMPLE_RELAY_URL),
 *   - the passages of README.md and docs/ between `<!-- sample -->` and `<!-- /sample -->`.
 * Then nothing but the changelog names the sample, and `npm run build && npm test` pass (CI checks
 * both: scripts/check-sample-removal.sh). Running it again changes nothing.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;
const removed = [];
for (const path of ['src/example', 'test/example', 'requests.http', 'http-client.env.json']) {
  if (!existsSync(root + path)) continue;
  rmSync(root + path, { recursive: true, force: true });
  removed.push(path);
}

/** Rewrites `path` with `edit` applied; records `what` when it changed anything. */
function editFile(path, what, edit) {
  if (!existsSync(root + path)) return;
  const text = readFileSync(root + path, 'utf8');
  const edited = edit(text);
  if (edited === text) return;
  writeFileSync(root + path, edited);
  removed.push(`${what} of ${path}`);
}

editFile('src/features.ts', 'the sample lines', (text) =>
  text
    .split('\n')
    .filter((line) => !line.trimEnd().endsWith('// sample'))
    .join('\n'),
);

// From the section's heading up to the next section's (or the end).
editFile('.env.example', 'the sample section', (text) =>
  text.replace(/^# --- sample routes\b.*\n(?:(?!# ---).*\n)*/m, ''),
);

// Marked passages, each with the blank line before it: what is left reads as one text.
const markdown = [
  'README.md',
  ...readdirSync(`${root}docs`)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
for (const path of markdown) {
  editFile(path, 'the sample passages', (text) => {
    const edited = text.replace(
      /(?:^[ \t]*\n)?^[ \t]*<!-- sample -->[ \t]*\n[\s\S]*?^[ \t]*<!-- \/sample -->[ \t]*\n/gm,
      '',
    );
    if (/<!-- \/?sample -->/.test(edited)) {
      throw new Error(`${path}: a <!-- sample --> passage is not closed by <!-- /sample -->`);
    }
    return edited;
  });
}

process.stdout.write(
  removed.length === 0
    ? 'The sample is already gone.\n'
    : `Removed ${removed.join(', ')}.\nAdd your own modules with \`npx nest g resource <name>\` (src/features/), and their e2e specs after test/features/payments.e2e-spec.ts.\n`,
);
