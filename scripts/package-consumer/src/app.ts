// The app: what a service writes with nest-mtls-auth (its entry only), served as its main.ts would.
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ClientIdentity, MtlsAuthModule, mtlsServerOptions } from 'nest-mtls-auth';

@Controller('payments')
class PaymentsController {
  @Get()
  list(@ClientIdentity() caller: ClientIdentity): { servedTo: string | null } {
    return { servedTo: caller.commonName };
  }
}

export interface ServerFiles {
  readonly trustedCa: string;
  readonly cert: string;
  readonly key: string;
}

/** HTTPS with mutual TLS on 127.0.0.1, a port the OS picks; only billing-service may call. */
export async function startApp(
  adapter: 'express' | 'fastify',
  { trustedCa, cert, key }: ServerFiles,
): Promise<INestApplication> {
  @Module({
    imports: [MtlsAuthModule.forRoot({ trustedCa, allowedServices: ['billing-service'] })],
    controllers: [PaymentsController],
  })
  class AppModule {}

  const https = { cert, key, ...mtlsServerOptions({ trustedCa, clientCertificates: 'allow' }) };
  const logger = ['error' as const];
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter({ https }), { logger })
      : await NestFactory.create(AppModule, { httpsOptions: https, logger });
  await app.listen(0, '127.0.0.1');
  return app;
}
