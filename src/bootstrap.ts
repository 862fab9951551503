import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import type { ClientCertStrategy } from 'nest-mtls-auth';
import { Logger } from 'nestjs-pino';
import { APP_INFO } from './app-info.js';
import { createApp } from './app.factory.js';
import { loadAppConfig, type AppConfig } from './config/app-config.js';
import { ConfigurationError } from './config/configuration.error.js';
import type { Feature } from './feature.js';
import { drainOnSignals } from './graceful-shutdown.js';
import { listenManagement } from './health/management-server.js';
import { serviceUrl } from './service-url.js';

/** What a service process runs besides its environment. */
export interface ServiceParts {
  /** Its route modules (the service's are in src/features.ts). */
  readonly features: readonly Feature[];
  /** Who the callers are (the service's is in src/auth.ts); the package's own when unset. */
  readonly strategy?: Type<ClientCertStrategy>;
}

/**
 * Starts a service process from `env`: validated configuration, the app on `PORT` (and
 * `MANAGEMENT_PORT`), the welcome lines, a graceful shutdown on SIGTERM. `main.ts` runs it with
 * the service's parts; scripts/fixture-server.mjs with the test routes (for the tests that start
 * a process, the compose e2e and the benchmarks).
 *
 * @throws {ConfigurationError} when the environment or a file it names does not work.
 */
export async function bootstrap(env: NodeJS.ProcessEnv, parts: ServiceParts): Promise<void> {
  const config = loadAppConfig(env);
  // In a terminal, readable lines; otherwise (containers, files) one JSON object per line.
  const logDestination = process.stdout.isTTY ? await prettyStream() : undefined;
  const app = await createApp(config, {
    features: parts.features.map((f) => f.module(env)),
    strategy: parts.strategy,
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
  welcome(config, parts.features, logDestination ? undefined : app.get(Logger));
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
function welcome(config: AppConfig, features: readonly Feature[], json: Logger | undefined): void {
  const base = serviceUrl(config);
  const curl = `curl ${config.tls.enabled ? `--cacert ${config.tls.caFile} ` : ''}`;
  const tries = [
    `  ${curl}${base}/health`,
    ...features.flatMap((f) => f.tryLines?.(base, curl) ?? []),
  ];
  const listening = `${APP_INFO.name} listening on ${base} (${config.server.adapter}, client certificates: ${config.tls.clientCertMode})`;
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

/**
 * Ends the process after a start that failed: a configuration error as its own message (one line
 * a user can act on), anything else with its stack.
 */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}
