import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mtlsServerOptions, type ClientCertificateMode } from '../../src/index.js';
import type { Adapter } from './adapters.js';
import type { TestPki } from './test-pki.js';

/** A listening fixture application. */
export interface FixtureApp {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a Nest application made of `metadata` (which imports `MtlsAuthModule`) over real TLS on
 * 127.0.0.1 and a port the OS picks, as a user of the package would: the server's own credentials
 * plus {@link mtlsServerOptions}. Nothing of the starter app is involved.
 */
export async function startFixtureApp(
  pki: TestPki,
  adapter: Adapter,
  metadata: ModuleMetadata,
  clientCertificates: ClientCertificateMode = 'allow',
): Promise<FixtureApp> {
  @Module(metadata)
  class FixtureModule {}
  const https = {
    cert: readFileSync(pki.server.certFile),
    key: readFileSync(pki.server.keyFile),
    ...mtlsServerOptions({ trustedCa: readFileSync(pki.caFile), clientCertificates }),
  };
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(FixtureModule, new FastifyAdapter({ https }), {
          logger: false,
          abortOnError: false,
        })
      : await NestFactory.create(FixtureModule, new ExpressAdapter(), {
          logger: false,
          abortOnError: false,
          httpsOptions: https,
        });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  return { app, url: `https://127.0.0.1:${port}`, close: () => app.close() };
}
