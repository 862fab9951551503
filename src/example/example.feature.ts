import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigurationError } from '../config/configuration.error.js';
import type { Feature } from '../feature.js';
import { ExampleModule } from './example.module.js';

const schema = z.object({
  EXAMPLE_RELAY_URL: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
});

/** The sample routes (`/info`, `/api/*`) and their one setting, `EXAMPLE_RELAY_URL`. */
export const EXAMPLE_FEATURE: Feature = {
  module(env) {
    const result = schema.safeParse(env);
    if (!result.success) {
      throw new ConfigurationError(
        `EXAMPLE_RELAY_URL=${JSON.stringify(env.EXAMPLE_RELAY_URL)}: ${result.error.issues[0]?.message ?? 'invalid'}. Fix: set the base URL of the service GET /api/relay calls, or leave it unset.`,
      );
    }
    return ExampleModule.register({ relayUrl: result.data.EXAMPLE_RELAY_URL });
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
