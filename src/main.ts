import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory.js';
import { loadAppConfig, type AppConfig } from './config/app-config.js';
import { ConfigurationError } from './config/configuration.error.js';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.server.port, config.server.host);
  printWelcome(config);
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
