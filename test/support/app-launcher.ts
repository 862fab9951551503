import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { ClientCertStrategy } from 'nest-mtls-auth';
import { createApp } from '../../src/app.factory.js';
import { listenManagement, managementPort } from '../../src/health/management-server.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { FixtureRoutesModule } from './fixture-routes.js';
import { collectJsonLines } from './json-lines.js';
import type { TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

import type { Adapter } from '../../packages/nest-mtls-auth/test/support/adapters.js';

export { ADAPTERS, type Adapter } from '../../packages/nest-mtls-auth/test/support/adapters.js';

/** A listening app on a port chosen by the OS, with its log lines. */
export interface RunningApp {
  readonly app: INestApplication;
  readonly port: number;
  readonly url: string;
  /** The plain-HTTP management listener, when MANAGEMENT_PORT is set. */
  readonly managementUrl?: string;
  /** Every JSON log line written so far (by any app of this test file). */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

// nestjs-pino keeps one pino instance per process (the first app's), so every app started here
// writes to this one capture stream; tests find their lines by fingerprint or code.
const stream = new PassThrough();
const lines = collectJsonLines(stream);

/**
 * The certificate files of the test PKI as the service's variables: its server certificate, the
 * CA it trusts, and the gateway client's certificate as its outbound one. Never certs/dev (absent
 * from a clean clone): the same behaviour everywhere.
 */
export function pkiEnv(pki: TestPki): Record<string, string> {
  return {
    TLS_CERT_FILE: pki.server.certFile,
    TLS_KEY_FILE: pki.server.keyFile,
    MTLS_CA_FILE: pki.caFile,
    OUTBOUND_CERT_FILE: pki.clients.gateway.certFile,
    OUTBOUND_KEY_FILE: pki.clients.gateway.keyFile,
    OUTBOUND_CA_FILE: pki.caFile,
  };
}

/**
 * Starts the real application in this process from environment variables (as `main.ts` does,
 * minus `process.env` and `.env`), over real TLS, on `127.0.0.1` and port 0, with the test routes
 * (test/support/fixture-routes.ts) unless `features` says otherwise, and the package's own
 * strategy unless `strategy` does: never the service's routes (src/features.ts) or its strategy
 * (src/auth.ts), so the tests keep testing the template whatever a team adds.
 */
export async function startApp(
  pki: TestPki,
  adapter: Adapter,
  env: Record<string, string | undefined> = {},
  features: readonly (Type | DynamicModule)[] = [FixtureRoutesModule],
  strategy?: Type<ClientCertStrategy>,
): Promise<RunningApp> {
  const config = loadAppConfig({
    HTTP_ADAPTER: adapter,
    PORT: '0',
    HOST: '127.0.0.1',
    ...pkiEnv(pki),
    LOG_LEVEL: 'info',
    ...env,
  });
  const app = await createApp(config, { features, strategy, logDestination: stream });
  await app.listen(0, '127.0.0.1');
  const management =
    config.server.managementPort === undefined
      ? undefined
      : await listenManagement(app, config.server.managementPort, '127.0.0.1');
  const server = app.getHttpServer() as { address(): AddressInfo };
  const port = server.address().port;
  const scheme = config.tls.enabled ? 'https' : 'http';
  return {
    app,
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    logs: () => lines,
    managementUrl: management ? `http://127.0.0.1:${managementPort(management)}` : undefined,
    close: async () => {
      management?.close();
      await app.close();
    },
  };
}
