import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { pathToFileURL } from 'node:url';
import { repoPath } from './repo-paths.js';

/**
 * What the benchmarks use of the built service (`npm run build`: the repository's `dist/`),
 * restated here because this workspace compiles on its own; `built-app.contract.ts` holds it to
 * `src/` in `npm run typecheck`. `Config` is the service's `AppConfig`, opaque to the benchmarks.
 */
export interface BuiltApp<Config = unknown> {
  /** `dist/config/app-config.js`: validated configuration from an environment. */
  readonly loadAppConfig: (env: NodeJS.ProcessEnv) => Config;
  /** `dist/app.factory.js`: the app (not listening) with the given route modules. */
  readonly createApp: (
    config: Config,
    options: { readonly features: readonly (Type | DynamicModule)[] },
  ) => Promise<INestApplication>;
}

/** The service's entry point as it is shipped (`node dist/main.js`). */
export const BUILT_MAIN = repoPath('dist/main.js');

/** Imports the built service's factory; `npm run build` must have run. */
export async function importBuiltApp(): Promise<BuiltApp> {
  const load = (file: string) => import(pathToFileURL(repoPath(`dist/${file}`)).href);
  const [config, factory] = (await Promise.all([
    load('config/app-config.js'),
    load('app.factory.js'),
  ])) as [Pick<BuiltApp, 'loadAppConfig'>, Pick<BuiltApp, 'createApp'>];
  return { loadAppConfig: config.loadAppConfig, createApp: factory.createApp };
}
