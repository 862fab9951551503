import { EXAMPLE_FEATURE } from '../../src/example/example.feature.js';
import type { TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { startApp, type Adapter, type RunningApp } from '../support/app-launcher.js';

/** The app with the sample routes of src/example (these tests go when the sample goes). */
export function startSample(
  pki: TestPki,
  adapter: Adapter,
  env: Record<string, string | undefined> = {},
): Promise<RunningApp> {
  return startApp(pki, adapter, env, [EXAMPLE_FEATURE.module(env)]);
}
