import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

// A project of a user's: strict, nodenext, no `source` condition and no allowJs, so the package
// resolves as it is published (`exports` -> `types`: dist/testing/index.d.ts, built first by this
// project's global setup). Inside node_modules so that it finds the workspace's packages.
const cache = join(ROOT, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'kit-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    noEmit: true,
  },
  files: [
    'misuse.ts',
    'readme-example.ts',
    // The model spec a team copies, exactly as it is.
    join(ROOT, 'test/features/payments.e2e-spec.ts'),
  ],
};

/** The example of the package README's "Testing your routes", importing the model's module. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'packages/nest-mtls-auth/README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Testing your routes'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const module = join(ROOT, 'test/features/payments.module.js');
  return code.replace("'../../src/payments/payments.module.js'", JSON.stringify(module));
}

// Each misuse must be an error: were the kit untyped (`any`), `@ts-expect-error` would be unused
// and fail the compile (TS2578).
const MISUSE = `
import { createTestPki, startTestApp, type TestPki } from 'nest-mtls-auth/testing';
import { createRootCa, issue, writeIssued } from 'nest-mtls-auth/testing';
import { freePort } from 'nest-mtls-auth/testing/ports';

export async function misuse(pki: TestPki): Promise<void> {
  // @ts-expect-error a DNS SAN list, not a string
  await pki.issue('billing-service', { dns: 'billing' });
  // @ts-expect-error an adapter Nest does not have
  await startTestApp({ pki, adapter: 'koa' });
  const app = await startTestApp({ pki, mtls: { allowedServices: ['billing-service'] } });
  // @ts-expect-error a caller is a certificate of the test PKI, not a name
  await app.as('billing-service').get('/payments');
  const res = await app.viaProxy(pki.proxy).get<{ servedTo: string }>('/payments');
  const servedTo: string = res.body.servedTo;
  // @ts-expect-error the status is a number
  const status: string = res.status;
  const ca = await createRootCa('ca', 'CN=ca');
  writeIssued('/tmp', await issue('x', ca, { subject: 'CN=x' }));
  const port: number = await freePort();
  void [servedTo, status, port, createTestPki];
}
`;

describe('nest-mtls-auth/testing in a user project (strict nodenext, the published types)', () => {
  it('type-checks the model spec and the README example, and refuses misuse', () => {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(join(dir, 'misuse.ts'), MISUSE);
    const example = readmeExample();
    expect(example).toContain('startTestApp');
    writeFileSync(join(dir, 'readme-example.ts'), example);
    let output = '';
    try {
      execFileSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  });
});
