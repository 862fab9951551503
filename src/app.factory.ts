import 'reflect-metadata';
import type { ServerOptions } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { Writable } from 'node:stream';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import type { OpenApiServer } from './openapi/openapi-document.js';
import { serviceUrl } from './service-url.js';
import { buildServerTlsOptions } from './tls/server-tls-options.js';

/**
 * The application as {@link createApp} makes it, initialised, silent and on no port: what the
 * doctor and `npm run policy` run the service's own guards and strategy on. Close it when done.
 */
export async function createQuietApp(
  config: AppConfig,
  options: Omit<AppModuleOptions, 'logDestination'>,
): Promise<INestApplication> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await createApp(
    { ...config, server: { ...config.server, logLevel: 'silent' } },
    { ...options, logDestination: silent },
  );
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/**
 * Creates the application (not yet listening) from validated configuration: TLS options, the
 * chosen HTTP adapter, structured logging. `main.ts` owns signals.
 *
 * @throws {ConfigurationError} when a file named by the configuration does not work.
 */
export async function createApp(
  config: AppConfig,
  options: AppModuleOptions = {},
): Promise<INestApplication> {
  const https: ServerOptions | undefined = config.tls.enabled
    ? buildServerTlsOptions(config.tls)
    : undefined;
  const module = AppModule.forRoot(config, options);
  const nestOptions = { bufferLogs: true, abortOnError: false };
  // Only the configured adapter is loaded: importing both cost every start-up 40-90 ms and 7-9 MB
  // (npm run bench:startup).
  let app: INestApplication;
  if (config.server.adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(
      module,
      new FastifyAdapter({
        ...(https ? { https } : {}),
        // Finish requests already on the wire during a graceful shutdown, as Express does.
        return503OnClosing: false,
      }),
      nestOptions,
    );
  } else {
    const { ExpressAdapter } = await import('@nestjs/platform-express');
    app = await NestFactory.create(module, new ExpressAdapter(), {
      ...nestOptions,
      httpsOptions: https as NestApplicationOptions['httpsOptions'],
    });
  }
  app.useLogger(app.get(Logger));
  const { openApiPath } = config.server;
  if (openApiPath) {
    // The document's builder (and @nestjs/swagger with it) is loaded only when it is served: not
    // in production by default (OPENAPI_PATH), where it cost ~75 ms and ~14 MB of every start-up.
    const { buildOpenApiDocument } = await import('./openapi/openapi-document.js');
    // Built now, so that a route the document cannot describe stops the start-up, not a request.
    const document = await buildOpenApiDocument(app, openApiServer(config));
    let served: OpenAPIObject | undefined;
    const http = app.getHttpAdapter();
    // Public and outside the guards: it describes the routes, it does not call them.
    http.get(openApiPath, (_request: unknown, response: unknown) => {
      // The server URL names the port the listener got (they differ with PORT=0).
      const port = (app.getHttpServer() as Server).address() as AddressInfo | null;
      served ??= { ...document, servers: [openApiServer(config, port?.port)] };
      http.reply(response, served, 200);
    });
  }
  if (config.server.adapter === 'express') {
    (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
      'x-powered-by',
    );
  }
  return app;
}

/**
 * The server the OpenAPI document names: `OPENAPI_SERVER_URL`, or else this service's own URL as
 * configured (`serviceUrl`), which is right on its own machine only.
 */
function openApiServer(config: AppConfig, port?: number): OpenApiServer {
  const url = config.server.openApiServerUrl;
  return url
    ? { url, description: 'This service (OPENAPI_SERVER_URL).' }
    : {
        url: serviceUrl(config, port),
        description:
          'This service as configured (TLS_ENABLED, HOST, PORT). Behind a proxy, a load balancer or a Kubernetes Service, set OPENAPI_SERVER_URL to the address callers use.',
      };
}
