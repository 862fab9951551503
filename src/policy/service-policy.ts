import { MtlsAuthService, type AccessMatrix, type PolicyCaller } from 'nest-mtls-auth';
import { createQuietApp } from '../app.factory.js';
import { loadAppConfig } from '../config/app-config.js';
import type { DoctorApp } from '../doctor/doctor.js';

/**
 * The access matrix of the service as `main.ts` builds it (its configuration from `env`, its
 * routes and strategy from `app`), for `callers`: what `npm run policy` prints. No port is opened.
 *
 * @throws {ConfigurationError} when the configuration is invalid.
 */
export async function servicePolicy(
  env: NodeJS.ProcessEnv,
  { features, strategy }: DoctorApp,
  callers: readonly PolicyCaller[],
): Promise<AccessMatrix> {
  const config = loadAppConfig(env);
  const app = await createQuietApp(config, { features, strategy });
  try {
    return await app.get(MtlsAuthService).accessMatrix(callers);
  } finally {
    await app.close();
  }
}
