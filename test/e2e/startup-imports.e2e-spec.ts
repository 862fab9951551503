import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.mjs';
import { ADAPTERS, pkiEnv } from '../support/app-launcher.js';
import { fixtureServer, serviceEnv } from '../support/service-process.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const HOOK = new URL('../support/record-loaded-modules.mjs', import.meta.url).pathname;

/**
 * What start-up must not load, each loaded on first use instead (docs/benchmarks.md, "Start-up"):
 * the cost is every start's, and npm run bench:startup measures it.
 */
const LOADED_ON_FIRST_USE: Readonly<Record<string, RegExp>> = {
  'the OpenAPI builder (only where the document is served)': /\/node_modules\/@nestjs\/swagger\//,
  'prom-client (the first scrape of /metrics)': /\/node_modules\/(prom-client|@opentelemetry)\//,
  'undici (the outbound client, on its first call)': /\/node_modules\/undici\//,
  'the ASN.1 libraries (the OCSP codec, on the first OCSP query)': /\/node_modules\/@peculiar\//,
  'jose (the first bound token)': /\/node_modules\/jose\//,
  'pretty logs (a terminal only)': /\/node_modules\/pino-pretty\//,
};

/**
 * The modules the built service loads from its start to its first answer, as a process in
 * production (NODE_ENV=production, a management port), the whole of its life being that.
 */
async function modulesLoadedAtStartup(adapter: string): Promise<string[]> {
  const port = await freePort();
  const file = join(pki.dir, `loaded-modules-${adapter}.txt`);
  const child = spawn(process.execPath, ['--import', HOOK, fixtureServer()], {
    env: serviceEnv({
      NODE_ENV: 'production',
      LOADED_MODULES_FILE: file,
      PORT: String(port),
      HOST: '127.0.0.1',
      MANAGEMENT_PORT: String(await freePort()),
      HTTP_ADAPTER: adapter,
      LOG_LEVEL: 'warn',
      ...pkiEnv(pki),
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exit = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let i = 0; ; i++) {
      try {
        await call(pki, `https://127.0.0.1:${port}/health/live`);
        break;
      } catch (error) {
        if (i > 100 || child.exitCode !== null) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    child.kill('SIGTERM');
    await exit;
  }
  return readFileSync(file, 'utf8').split('\n');
}

describe.each(ADAPTERS)('start-up of the built service on %s', (adapter) => {
  it('loads nothing that production loads on first use', async () => {
    const loaded = await modulesLoadedAtStartup(adapter);
    expect(loaded.some((url) => url.includes('/node_modules/@nestjs/core/'))).toBe(true);
    const early = Object.entries(LOADED_ON_FIRST_USE)
      .filter(([, pattern]) => loaded.some((url) => pattern.test(url)))
      .map(([what]) => what);
    expect(early).toEqual([]);
    // Nor the adapter not in use.
    const other = adapter === 'express' ? 'platform-fastify' : 'platform-express';
    expect(loaded.filter((url) => url.includes(`/node_modules/@nestjs/${other}/`))).toEqual([]);
  });
});
