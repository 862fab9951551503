// Type-checked by `npm run typecheck` only (bench/tsconfig.build.json leaves *.contract.ts out):
// the built service as the benchmarks see it must be what src/ exports.
import type { createApp } from '../../../src/app.factory.js';
import type { AppConfig, loadAppConfig } from '../../../src/config/app-config.js';
import type { BuiltApp } from './built-app.js';

type Source = { createApp: typeof createApp; loadAppConfig: typeof loadAppConfig };

export type BuiltAppContract = Source extends BuiltApp<AppConfig> ? true : never;
export const builtAppMatchesSource: BuiltAppContract = true;
