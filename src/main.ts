import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { drainOnSignals } from './graceful-shutdown.js';
import { listenManagement } from './health/management-server.js';
import { createApp } from './app.factory.js';
import { loadAppConfig, type AppConfig } from './config/app-config.js';
import { ConfigurationError } from './config/configuration.error.js';
import { FEATURES } from './features.js';
import { serviceUrl } from './service-url.js';
import { Logger } from 'nestjs-pino';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  // In a terminal, readable lines; otherwise (containers, files) one JSON object per line.
  const logDestination = process.stdout.isTTY ? await prettyStream() : undefined;
  const app = await createApp(config, {
    features: FEATURES.map((f) => f.module(process.env)),
    logDestination,
  });
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
  welcome(config, logDestination ? undefined : app.get(Logger));
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

/**
 * What is listening, and curl lines for the routes that exist (/health and each feature's): in a
 * terminal as a block after Nest's start-up lines (the pretty log stream writes synchronously, so
 * the order holds), elsewhere as one JSON log line.
 */
function welcome(config: AppConfig, json: Logger | undefined): void {
  const base = serviceUrl(config);
  const curl = `curl ${config.tls.enabled ? `--cacert ${config.tls.caFile} ` : ''}`;
  const tries = [
    `  ${curl}${base}/health`,
    ...FEATURES.flatMap((f) => f.tryLines?.(base, curl) ?? []),
  ];
  const listening = `nest-mtls-starter listening on ${base} (${config.server.adapter}, client certificates: ${config.tls.clientCertMode})`;
  if (json) {
    json.log({ msg: listening, url: base, try: tries.map((t) => t.trim()) }, 'Bootstrap');
    return;
  }
  process.stdout.write(`\n${[listening, 'Try:', ...tries].join('\n')}\n\n`);
}

/** pino-pretty (a development dependency) when installed; JSON logs otherwise. */
async function prettyStream(): Promise<NodeJS.WritableStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '[{context}] {msg}',
    });
  } catch {
    return undefined;
  }
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
