import { existsSync } from 'node:fs';
import * as v from 'valibot';
import { ConfigurationError } from '../config/configuration.error.js';
import { envUrl } from '../config/env-url.js';
import type { Feature } from '../feature.js';
import { ExampleModule } from './example.module.js';

const schema = v.object({
  EXAMPLE_RELAY_URL: v.optional(envUrl(['https'], 'must be an https:// URL', { base: true })),
});

/** The sample routes (`/info`, `/api/*`) and their one setting, `EXAMPLE_RELAY_URL`. */
export const EXAMPLE_FEATURE: Feature = {
  module(env) {
    const result = v.safeParse(schema, env);
    if (!result.success) {
      throw new ConfigurationError(
        `EXAMPLE_RELAY_URL=${JSON.stringify(env.EXAMPLE_RELAY_URL)}: ${result.issues[0].message}. Fix: set the base URL of the service GET /api/relay calls, or leave it unset.`,
      );
    }
    return ExampleModule.register({ relayUrl: result.output.EXAMPLE_RELAY_URL });
  },
  tryLines(base, curl) {
    const client = 'certs/dev/billing-service';
    if (!existsSync(`${client}.crt`)) return [];
    return [
      `  ${curl}${base}/api/whoami            # 401 MTLS_CERT_MISSING`,
      `  ${curl}--cert ${client}.crt --key ${client}.key ${base}/api/whoami`,
      `  ${curl}--cert certs/dev/notification-service.crt --key certs/dev/notification-service.key ${base}/api/invoices   # 403`,
    ];
  },
};
