import type { DynamicModule, Type } from '@nestjs/common';

/**
 * A part of the service with routes of its own, listed in `src/features.ts`. The app adds its
 * module next to auth, health and logging.
 */
export interface Feature {
  /** The Nest module, given the environment for settings of its own (it validates them). */
  module(env: NodeJS.ProcessEnv): Type | DynamicModule;
  /** Start-up lines that try the feature; `curl` already carries `--cacert` when needed. */
  tryLines?(base: string, curl: string): readonly string[];
}
