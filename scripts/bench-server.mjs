/**
 * The benchmark's server: one Nest app (the adapter from BENCH_ADAPTER) with three routes that
 * share one handler body, so the only difference between them is authentication:
 *   GET /bench/open     no guard at all (the baseline)
 *   GET /bench/ours     ClientCertAuthGuard + ServiceAllowlistGuard (this starter)
 *   GET /bench/plain    AuthGuard + passport-client-cert, used the plain way
 *   GET /bench/noop     two guards that return true (what Nest's guard machinery costs by itself)
 *   GET /bench/headers  the request headers as received (the forwarded rows capture what nginx sends)
 * Started by scripts/bench.mjs over IPC; answers {cmd:'cpu'} with its own CPU time and, on Linux,
 * its context switches (how often it went to sleep waiting for work).
 */
import 'reflect-metadata';
import { constants } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Controller, Get, Headers, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Strategy as PlainClientCertStrategy } from 'passport-client-cert';
import { ClientCertAuthGuard, MtlsAuthModule, ServiceAllowlistGuard } from 'nest-mtls-auth';

const env = (/** @type {string} */ name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const adapter = env('BENCH_ADAPTER');
const ca = readFileSync(env('BENCH_CA'));
const BODY = { ok: true, items: [1, 2, 3] };

// Decorators applied by hand: this file is plain JavaScript, run without a compiler.
class PlainStrategy extends PassportStrategy(PlainClientCertStrategy, 'client-cert-plain') {
  /** @param {{ subject: { CN: string } }} cert */
  validate(cert) {
    return { cn: cert.subject.CN };
  }
}
Injectable()(PlainStrategy);

class BenchController {
  open() {
    return BODY;
  }
  ours() {
    return BODY;
  }
  plain() {
    return BODY;
  }
  noop() {
    return BODY;
  }
  /** @param {Record<string, string>} headers */
  headers(headers) {
    return headers;
  }
}
class NoopGuard {
  canActivate() {
    return true;
  }
}
const method = (
  /** @type {keyof BenchController} */ name,
  /** @type {MethodDecorator[]} */ ...decorators
) => {
  const descriptor = /** @type {PropertyDescriptor} */ (
    Object.getOwnPropertyDescriptor(BenchController.prototype, name)
  );
  for (const d of decorators) d(BenchController.prototype, name, descriptor);
};
method('open', Get('open'));
method('ours', Get('ours'), UseGuards(ClientCertAuthGuard, ServiceAllowlistGuard));
method('noop', Get('noop'), UseGuards(NoopGuard, NoopGuard));
method('plain', Get('plain'), UseGuards(AuthGuard('client-cert-plain')));
method('headers', Get('headers'));
Headers()(BenchController.prototype, 'headers', 0);
Controller('bench')(BenchController);

class BenchModule {}
Module({
  imports: [
    MtlsAuthModule.forRoot({
      trustedCa: ca,
      globalGuards: false,
      allowedServices: ['*.bench.local', 'bench-client'],
      // The forwarded row: this instance sits behind nginx, which connects from loopback.
      trustedProxies: process.env.BENCH_TRUSTED_PROXIES ? [process.env.BENCH_TRUSTED_PROXIES] : [],
    }),
  ],
  controllers: [BenchController],
  providers: [PlainStrategy],
})(BenchModule);

const https = {
  cert: readFileSync(env('BENCH_CERT')),
  key: readFileSync(env('BENCH_KEY')),
  ca,
  requestCert: true,
  rejectUnauthorized: false,
  minVersion: /** @type {const} */ ('TLSv1.2'),
  secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
};
// BENCH_PLAIN: plain HTTP, as behind a proxy on a private network (TLS_ENABLED=false).
const plain = process.env.BENCH_PLAIN === '1';
const app =
  adapter === 'fastify'
    ? await NestFactory.create(BenchModule, new FastifyAdapter(plain ? {} : { https }), {
        logger: false,
      })
    : await NestFactory.create(BenchModule, new ExpressAdapter(), {
        logger: false,
        httpsOptions: plain ? undefined : https,
      });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
/** Voluntary + involuntary context switches of this process so far (Linux), else 0. */
const contextSwitches = () => {
  if (!existsSync('/proc/self/status')) return 0;
  const status = readFileSync('/proc/self/status', 'utf8');
  return [...status.matchAll(/ctxt_switches:\s+(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
};
process.on('message', (/** @type {{cmd: string}} */ msg) => {
  if (msg.cmd === 'cpu')
    process.send?.({
      cpu: process.cpuUsage(),
      rss: process.memoryUsage().rss,
      switches: contextSwitches(),
    });
  if (msg.cmd === 'stop') void app.close().then(() => process.exit(0));
});
process.send?.({ port });
