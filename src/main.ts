import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { drainOnSignals } from './graceful-shutdown.js';
import { listenManagement } from './health/management-server.js';
import { createApp } from './app.factory.js';
import { loadAppConfig, type AppConfig } from './config/app-config.js';
import { ConfigurationError } from './config/configuration.error.js';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  const app = await createApp(config);
  await onPort('PORT', config.server.port, () =>
    app.listen(config.server.port, config.server.host),
  );
  const { managementPort } = config.server;
  const management =
    managementPort === undefined
      ? undefined
      : await onPort('MANAGEMENT_PORT', managementPort, () =>
          listenManagement(app, managementPort, config.server.host),
        );
  printWelcome(config);
  drainOnSignals(app, management);
}

/** Runs `listen`, turning a port that cannot be had into a one-line configuration error. */
async function onPort<T>(variable: string, port: number, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw cause;
    const why = code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges this process lacks';
    throw new ConfigurationError(
      `${variable}=${port}: the port ${why} (${code}). Stop the other process or set ${variable} to a free port.`,
      { cause },
    );
  }
}

function printWelcome(config: AppConfig): void {
  const scheme = config.tls.enabled ? 'https' : 'http';
  const host = ['0.0.0.0', '::'].includes(config.server.host) ? 'localhost' : config.server.host;
  const base = `${scheme}://${host}:${config.server.port}`;
  const lines = [
    `nest-mtls-starter listening on ${base} (${config.server.adapter}, client certificates: ${config.tls.clientCertMode})`,
  ];
  const ca = config.tls.enabled ? `--cacert ${config.tls.caFile} ` : '';
  const client = 'certs/dev/billing-service';
  if (existsSync(`${client}.crt`)) {
    lines.push(
      'Try:',
      `  curl ${ca}${base}/health`,
      `  curl ${ca}${base}/api/whoami            # 401 MTLS_CERT_MISSING`,
      `  curl ${ca}--cert ${client}.crt --key ${client}.key ${base}/api/whoami`,
      `  curl ${ca}--cert certs/dev/notification-service.crt --key certs/dev/notification-service.key ${base}/api/invoices   # 403`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
