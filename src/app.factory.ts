import 'reflect-metadata';
import type { ServerOptions } from 'node:https';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { buildServerTlsOptions } from './tls/server-tls-options.js';

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
  const app =
    config.server.adapter === 'fastify'
      ? await NestFactory.create(
          module,
          new FastifyAdapter({
            ...(https ? { https } : {}),
            // Finish requests already on the wire during a graceful shutdown, as Express does.
            return503OnClosing: false,
          }),
          nestOptions,
        )
      : await NestFactory.create(module, new ExpressAdapter(), {
          ...nestOptions,
          httpsOptions: https as NestApplicationOptions['httpsOptions'],
        });
  app.useLogger(app.get(Logger));
  const { openApiPath } = config.server;
  if (openApiPath) {
    // Public and outside the guards: it describes the routes, it does not call them.
    const document = buildOpenApiDocument(app);
    const http = app.getHttpAdapter();
    http.get(openApiPath, (_request: unknown, response: unknown) => {
      http.reply(response, document, 200);
    });
  }
  if (config.server.adapter === 'express') {
    (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
      'x-powered-by',
    );
  }
  return app;
}
