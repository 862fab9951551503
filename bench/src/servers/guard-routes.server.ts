/**
 * A benchmark server: the guard routes (fixtures/guard-routes.module.ts) on `BENCH_ADAPTER`, with
 * the server certificate `BENCH_CERT`/`BENCH_KEY` and client CA `BENCH_CA`; behind a proxy when
 * `BENCH_TRUSTED_PROXIES` names it, over plain HTTP when `BENCH_PLAIN=1` (as behind a proxy on a
 * private network: TLS_ENABLED=false). Listens on a port of its own; started by
 * keep-alive.bench.ts, answers over IPC (lib/server-usage.ts).
 */
import 'reflect-metadata';
import { constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { GuardRoutesModule } from '../fixtures/guard-routes.module.js';
import { answerOverIpc } from '../lib/server-usage.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const ca = readFileSync(env('BENCH_CA'));
const module = GuardRoutesModule.forRoot({
  trustedCa: ca,
  trustedProxy: process.env.BENCH_TRUSTED_PROXIES,
});
const https = {
  cert: readFileSync(env('BENCH_CERT')),
  key: readFileSync(env('BENCH_KEY')),
  ca,
  requestCert: true,
  rejectUnauthorized: false,
  minVersion: 'TLSv1.2' as const,
  secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
};
const plain = process.env.BENCH_PLAIN === '1';
const app =
  env('BENCH_ADAPTER') === 'fastify'
    ? await NestFactory.create(module, new FastifyAdapter(plain ? {} : { https }), {
        logger: false,
      })
    : await NestFactory.create(module, new ExpressAdapter(), {
        logger: false,
        httpsOptions: plain ? undefined : https,
      });
await app.listen(0, '127.0.0.1');
const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
answerOverIpc(port, () => app.close());
