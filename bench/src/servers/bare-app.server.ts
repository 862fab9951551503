/**
 * A benchmark server, the framework's floor: a bare Nest app with the shipped app's adapter
 * (`HTTP_ADAPTER`) and TLS options (lib/baseline-https-options.ts), one public route (`GET /info`,
 * shaped like the fixtures' own), no auth module, no logger. Listens on `PORT` (default: a port of
 * its own) on `HOST` (default 127.0.0.1), as `node dist/main.js` does; answers over IPC when
 * started with a channel (lib/server-usage.ts).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import {
  Controller,
  Get,
  Module,
  type INestApplication,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { baselineHttpsOptions } from '../lib/baseline-https-options.js';
import { answerOverIpc } from '../lib/server-usage.js';

@Controller('info')
class InfoController {
  @Get()
  info() {
    return { name: 'bare', version: '0', clientCertificateMode: 'allow', adapter: 'x' };
  }
}

@Module({ controllers: [InfoController] })
class BareModule {}

const https = baselineHttpsOptions(process.env);
// Only the adapter in use is imported, as the shipped app does.
let app: INestApplication;
if (process.env.HTTP_ADAPTER === 'fastify') {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  app = await NestFactory.create(BareModule, new FastifyAdapter({ https }), { logger: false });
} else {
  const { ExpressAdapter } = await import('@nestjs/platform-express');
  app = await NestFactory.create(BareModule, new ExpressAdapter(), {
    logger: false,
    // Node's and Nest's declarations of the SNI callback differ; the options are Node's.
    httpsOptions: https as NestApplicationOptions['httpsOptions'],
  });
}
await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
answerOverIpc(port, () => app.close());
