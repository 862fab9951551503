import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const APP_SRC = join(ROOT, 'src');
const PACKAGE = join(ROOT, 'packages/nest-mtls-auth');
const PACKAGE_SRC = join(PACKAGE, 'src');
const PACKAGE_NAME = 'nest-mtls-auth';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function specifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] as string);
}

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);

/**
 * What is wrong with one file's imports. The app (`src/`) reaches the package only by its name,
 * never by a path or a subpath; the package reaches nothing outside its own `src/`, and names only
 * Node's modules and the dependencies its package.json declares.
 */
function violations(file: string, source: string, allowedPackages: ReadonlySet<string>): string[] {
  const inPackage = inside(PACKAGE_SRC, file);
  const home = inPackage ? PACKAGE_SRC : APP_SRC;
  const out: string[] = [];
  for (const spec of specifiers(source)) {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!inside(home, target))
        out.push(`${relative(ROOT, file)}: ${spec} leaves ${relative(ROOT, home)}/`);
      continue;
    }
    if (!inPackage) {
      if (spec.startsWith(`${PACKAGE_NAME}/`))
        out.push(`${relative(ROOT, file)}: deep import ${spec}`);
      continue;
    }
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    const builtin = spec.startsWith('node:') || builtinModules.includes(spec);
    if (!builtin && !allowedPackages.has(name as string)) {
      out.push(`${relative(ROOT, file)}: ${spec} is not a declared dependency of the package`);
    }
  }
  return out;
}

const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const declared = new Set([
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
]);

describe('the boundary between the app and the auth package', () => {
  it('the app imports the package only through its entry', () => {
    const found = sources(APP_SRC).flatMap((f) => violations(f, readFileSync(f, 'utf8'), declared));
    expect(found).toEqual([]);
  });

  it('the package imports nothing of the app, nothing outside src/, only declared dependencies', () => {
    const found = sources(PACKAGE_SRC).flatMap((f) =>
      violations(f, readFileSync(f, 'utf8'), declared),
    );
    expect(found).toEqual([]);
  });

  it('catches each kind of violation (so the two checks above can fail)', () => {
    const appFile = join(APP_SRC, 'health/x.ts');
    const pkgFile = join(PACKAGE_SRC, 'nest/x.ts');
    expect(
      violations(appFile, "import { A } from 'nest-mtls-auth/dist/x509/pem.js';", declared),
    ).toHaveLength(1);
    expect(
      violations(
        appFile,
        "import { A } from '../../packages/nest-mtls-auth/src/index.js';",
        declared,
      ),
    ).toHaveLength(1);
    expect(violations(appFile, "import { A } from 'nest-mtls-auth';", declared)).toEqual([]);
    expect(
      violations(pkgFile, "import { A } from '../../../../src/app.module.js';", declared),
    ).toHaveLength(1);
    expect(violations(pkgFile, "import * as v from 'valibot';", declared)).toHaveLength(1);
    expect(violations(pkgFile, "import { A } from '../x509/pem.js';", declared)).toEqual([]);
    expect(violations(pkgFile, "import 'node:crypto';", declared)).toEqual([]);
  });
});
