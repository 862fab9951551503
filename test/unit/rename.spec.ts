import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const OLD = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;
const NEW = OLD === 'payments-service' ? 'orders-service' : 'payments-service';

/** What `npm run rename` edits, and what the Kubernetes and compose unit tests read. */
const COPIED = [
  'package.json',
  'package-lock.json',
  'packages/nest-mtls-auth/package.json',
  'tsconfig.json',
  'vitest.config.ts',
  '.swcrc',
  '.dockerignore',
  '.env.example',
  'Dockerfile',
  'docker-compose.yml',
  'README.md',
  'docs',
  'deploy',
  'scripts',
  'src',
  'test/unit/kubernetes-manifests.spec.ts',
  'test/unit/docker-compose.spec.ts',
];
/** Where `npm run rename` renames (src/ and test/ are the team's to name as it likes). */
const RENAMED =
  /^(package(-lock)?\.json|docker-compose\.yml|\.env\.example|README\.md|docs\/|deploy\/|scripts\/(dev-certs\.mjs|compose-e2e\.override\.yml))/;

describe('npm run rename -- <service-name>, in a copy of the repository', () => {
  let copy: string;
  const rename = (...args: string[]) =>
    spawnSync(process.execPath, [join(copy, 'scripts/rename.mjs'), ...args], { encoding: 'utf8' });
  /** Every copied file, by path. */
  const snapshot = () =>
    new Map(
      COPIED.flatMap((path) =>
        spawnSync('find', [path, '-type', 'f'], { cwd: copy, encoding: 'utf8' })
          .stdout.split('\n')
          .filter(Boolean)
          .map((file) => [file, readFileSync(join(copy, file), 'utf8')] as const),
      ),
    );

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'rename-'));
    for (const path of COPIED) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.each([
    'Payments',
    'payments_service',
    '1payments',
    'payments-',
    'a'.repeat(64),
    'nest-mtls-auth',
  ])('refuses %s with exit status 2 and changes nothing', (name) => {
    const before = snapshot();
    const run = rename(name);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^npm run rename -- <service-name>: /);
    expect(snapshot()).toEqual(before);
  });

  it('renames the package, the lock file, the manifests, compose and the docs, and says where', () => {
    const run = rename(NEW);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Renamed ${OLD} to ${NEW}`);
    for (const file of [
      'package.json',
      'docker-compose.yml',
      'deploy/kubernetes/base/deployment.yaml',
    ]) {
      expect(run.stdout).toContain(`  ${file}:`);
    }
    const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8'));
    expect([pkg.name, lock.name, lock.packages[''].name]).toEqual([NEW, NEW, NEW]);
    // The lock file keeps npm's own formatting: only the two names differ.
    const lines = (text: string) => text.split('\n');
    const oldLock = lines(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const newLock = lines(readFileSync(join(copy, 'package-lock.json'), 'utf8'));
    expect(newLock.filter((line, i) => line !== oldLock[i])).toHaveLength(2);
    const left = [...snapshot()].filter(([file, text]) => RENAMED.test(file) && text.includes(OLD));
    expect(left.map(([file]) => file)).toEqual([]);
  });

  it('changes nothing when run again', () => {
    const before = snapshot();
    const run = rename(NEW);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`The service is already named ${NEW}: nothing to change.\n`);
    expect(snapshot()).toEqual(before);
  });

  it('leaves valid manifests and a consistent compose stack: their unit tests pass in the copy', () => {
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    const run = spawnSync(
      process.execPath,
      [vitest, 'run', 'test/unit/kubernetes-manifests.spec.ts', 'test/unit/docker-compose.spec.ts'],
      { cwd: copy, encoding: 'utf8' },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Test Files\s+.*2 passed/);
  }, 120_000);
});
