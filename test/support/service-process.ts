import { existsSync } from 'node:fs';
import { envSchema } from '../../src/config/env.schema.js';

const BUILT = new URL('../../dist/bootstrap.js', import.meta.url).pathname;

/**
 * The script that starts the built service as a process with the test routes and the package's
 * own strategy (scripts/fixture-server.mjs): what the tests run where a user runs
 * `node dist/main.js`, so that they depend neither on the service's routes nor on its strategy.
 *
 * @throws when the service is not built.
 */
export function fixtureServer(): string {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` first');
  return new URL('../../scripts/fixture-server.mjs', import.meta.url).pathname;
}

/**
 * This process's environment without any variable the service reads (a shell or CI may set
 * some), then `env`: a started service is configured by its test alone. (It never reads `.env`:
 * only main.ts and the doctor do.)
 */
export function serviceEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(envSchema.entries)) delete inherited[name];
  return { ...inherited, ...env };
}
