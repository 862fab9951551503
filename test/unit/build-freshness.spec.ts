import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIfStale, staleBuild } from '../../scripts/lib/build-freshness.mjs';

const BUILT = new Date('2030-01-01T12:00:00Z');
const BEFORE = new Date('2030-01-01T11:00:00Z');
const AFTER = new Date('2030-01-01T13:00:00Z');

describe('the build freshness check (test/global-setup.ts, scripts/build-if-stale.mjs)', () => {
  let root: string;
  const file = (path: string, at: Date) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '');
    utimesSync(full, at, at);
  };
  const dir = (path: string, at: Date) => utimesSync(join(root, path), at, at);

  // A repository built at BUILT from sources older than that.
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-freshness-'));
    file('src/main.ts', BEFORE);
    file('src/health/health.module.ts', BEFORE);
    file('packages/auth/src/index.ts', BEFORE);
    file('packages/auth/tsconfig.build.json', BEFORE);
    file('tsconfig.json', BEFORE);
    for (const d of ['src/health', 'src', 'packages/auth/src']) dir(d, BEFORE);
    file('dist/main.js', BUILT);
    file('packages/auth/dist/index.js', BUILT);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the build of the current sources fresh', () => {
    expect(staleBuild(root)).toBeNull();
    expect(buildIfStale(root, () => undefined)).toBe(false);
  });

  it('finds it stale when an entry point of dist/ is missing', () => {
    rmSync(join(root, 'packages/auth/dist'), { recursive: true });
    expect(staleBuild(root)).toBe('packages/auth/dist/index.js is missing');
  });

  it('finds it stale when a source file of the app or of a package changed since', () => {
    utimesSync(join(root, 'src/health/health.module.ts'), AFTER, AFTER);
    expect(staleBuild(root)).toBe('src/health/health.module.ts is newer than the build');
    utimesSync(join(root, 'src/health/health.module.ts'), BEFORE, BEFORE);
    utimesSync(join(root, 'packages/auth/src/index.ts'), AFTER, AFTER);
    expect(staleBuild(root)).toBe('packages/auth/src/index.ts is newer than the build');
  });

  it('finds it stale when a source was deleted (its folder changed) or a tsconfig changed', () => {
    dir('src/health', AFTER);
    expect(staleBuild(root)).toBe('src/health is newer than the build');
    dir('src/health', BEFORE);
    utimesSync(join(root, 'packages/auth/tsconfig.build.json'), AFTER, AFTER);
    expect(staleBuild(root)).toBe('packages/auth/tsconfig.build.json is newer than the build');
  });

  it('ignores spec files, which the build does not compile', () => {
    file('src/health/health.spec.ts', AFTER);
    dir('src/health', BEFORE);
    expect(staleBuild(root)).toBeNull();
  });
});
