import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.mjs');

/** A throwaway tree with the repository's layout, checked with the repository's rules. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function check(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const paths = ['packages', 'src'].filter((path) => existsSync(join(dir, path)));
    const { stdout } = await run(depcruise, [...paths, '--config', config], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

const pkg = 'packages/nest-mtls-auth/src';

describe('npm run lint: import rules (dependency-cruiser)', () => {
  it('passes a tree that imports one way', async () => {
    const dir = fixture({
      [`${pkg}/x509/a.ts`]: 'export const a = 1;\n',
      [`${pkg}/nest/b.ts`]: "import { a } from '../x509/a.js';\nexport const b = a;\n",
    });
    expect(await check(dir)).toMatchObject({ ok: true });
  });

  it('fails on a cycle, type-only imports included', async () => {
    const dir = fixture({
      'src/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n",
      'src/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
    });
    const result = await check(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/no-circular/);
  });

  it('fails when a lower layer imports a higher one (x509 importing the Nest face)', async () => {
    const dir = fixture({
      [`${pkg}/nest/guard.ts`]: 'export const guard = 1;\n',
      [`${pkg}/x509/policy.ts`]:
        "import { guard } from '../nest/guard.js';\nexport const p = guard;\n",
    });
    const result = await check(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/layer-x509/);
  });
});
