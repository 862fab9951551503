import { registerAs } from '@nestjs/config';
import type { AppConfig } from './app-config.js';

/** Config namespaces, as `ConfigService.get('mtls')` reads them. */
export const CONFIG_NAMESPACES = ['server', 'tls', 'mtls', 'outbound'] as const;

/**
 * One `registerAs` factory per area over the already-validated configuration, for
 * `ConfigModule.forRoot({ load })`.
 */
export function configurationFactories(config: AppConfig) {
  return CONFIG_NAMESPACES.map((ns) => registerAs(ns, () => config[ns]));
}
