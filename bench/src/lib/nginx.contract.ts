// Type-checked by `npm run typecheck` only (bench/tsconfig.build.json leaves *.contract.ts out):
// the nginx runner as the benchmarks see it must be what scripts/lib/nginx.mjs exports.
import type * as runner from '../../../scripts/lib/nginx.mjs';
import type { NginxRunner } from './nginx.js';

export type NginxRunnerContract = typeof runner extends NginxRunner ? true : never;
export const nginxRunnerMatchesScript: NginxRunnerContract = true;
