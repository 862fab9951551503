import type { AddressInfo } from 'node:net';
import {
  Module,
  type INestApplication,
  type ModuleMetadata,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MtlsAuthModule } from '../nest/mtls-auth.module.js';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import type { MtlsAuthModuleExtras } from '../nest/mtls-auth.module-definition.js';
import { mtlsServerOptions, type ClientCertificateMode } from '../handshake/mtls-server-options.js';
import { testRequests, type TestRequests } from './test-client.js';
import { TEST_PROXY_IDENTITY, type TestCertificate, type TestPki } from './test-pki.js';

/** Nest's two HTTP adapters: run your e2e specs on both with `describe.each(TEST_ADAPTERS)`. */
export const TEST_ADAPTERS = ['express', 'fastify'] as const;
export type TestAdapter = (typeof TEST_ADAPTERS)[number];

/**
 * `MtlsAuthModule.forRoot()` options for a test app: `trustedCa` defaults to the test CA, and
 * the test proxy's identity is added to `trustedProxyIdentities`.
 */
export type TestMtlsOptions = Partial<MtlsAuthModuleOptions> & MtlsAuthModuleExtras;

/** What {@link startTestApp} starts. */
export interface TestAppOptions {
  /** The test PKI: the server's certificate, the CA the app trusts, the proxy. */
  readonly pki: TestPki;
  /** @default 'express' */
  readonly adapter?: TestAdapter;
  /** Your modules (a feature module, or a whole app module with `mtls: false`). */
  readonly imports?: ModuleMetadata['imports'];
  /** Controllers of a module the test builds. */
  readonly controllers?: ModuleMetadata['controllers'];
  /** Providers of a module the test builds (your `ClientCertStrategy`, stubs of your services). */
  readonly providers?: ModuleMetadata['providers'];
  /**
   * How the kit imports `MtlsAuthModule.forRoot()` next to your modules; `false` when one of them
   * imports it already (then trust {@link TestPki.caPem} and {@link TEST_PROXY_IDENTITY} there).
   * @default {} (the test CA, any authenticated caller, the test proxy trusted, global guards)
   */
  readonly mtls?: TestMtlsOptions | false;
  /** What the TLS handshake asks of clients (`mtlsServerOptions`). @default 'allow' */
  readonly clientCertificates?: ClientCertificateMode;
  /** Called before the app listens: global pipes, a prefix, `app.get(...)` of a stub. */
  readonly configure?: (app: INestApplication) => void | Promise<void>;
  /** Nest's logger. @default ['error'] (a 500 prints its stack; refusals stay quiet) */
  readonly logger?: NestApplicationOptions['logger'];
}

/** A Nest app listening over HTTPS with mutual TLS on 127.0.0.1 and a port the OS chose. */
export interface TestApp {
  readonly app: INestApplication;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly adapter: TestAdapter;
  /** Requests presenting `caller`'s certificate in the TLS handshake. */
  as(caller: TestCertificate): TestRequests;
  /** Requests without a client certificate. */
  anonymous(): TestRequests;
  /**
   * Requests forwarded for `caller` by the trusted proxy: the connection presents
   * {@link TestPki.proxy}, and the caller's certificate travels in the header, URL-encoded, as
   * nginx sends `$ssl_client_escaped_cert` (the module's `certificateHeader`).
   */
  viaProxy(caller: TestCertificate): TestRequests;
  close(): Promise<void>;
}

/**
 * Starts a Nest app for an e2e test as a service runs: HTTPS with the test server certificate and
 * {@link mtlsServerOptions}, `MtlsAuthModule` (unless `mtls: false`) and your modules, on either
 * adapter, listening on port 0.
 *
 * @example
 * const app = await startTestApp({ pki, adapter, imports: [PaymentsModule] });
 * const res = await app.as(billing).get('/payments');
 * await app.close();
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const { pki, mtls = {} } = options;
  const adapter = options.adapter ?? 'express';
  const trustedCa = (mtls ? mtls.trustedCa : undefined) ?? pki.caPem;
  const https = {
    cert: pki.server.certPem,
    key: pki.tlsOptions(pki.server).key,
    ...mtlsServerOptions({
      trustedCa,
      crl: mtls ? mtls.crl : undefined,
      clientCertificates: options.clientCertificates,
    }),
  };
  const auth = mtls
    ? [
        MtlsAuthModule.forRoot({
          ...mtls,
          trustedCa,
          trustedProxyIdentities: [...(mtls.trustedProxyIdentities ?? []), TEST_PROXY_IDENTITY],
        }),
      ]
    : [];
  @Module({
    imports: [...auth, ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  })
  class TestAppModule {}

  const nestOptions = { logger: options.logger ?? ['error' as const], abortOnError: false };
  let app: INestApplication;
  if (adapter === 'fastify') {
    // Loaded only here: an Express-only service needs no Fastify installed.
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(TestAppModule, new FastifyAdapter({ https }), nestOptions);
  } else {
    app = await NestFactory.create(TestAppModule, { ...nestOptions, httpsOptions: https });
  }
  try {
    await options.configure?.(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  const url = `https://127.0.0.1:${port}`;
  const forwarding = {
    header: mtls ? mtls.certificateHeader : undefined,
    verifyHeader: mtls ? mtls.verifyHeader : undefined,
  };
  return {
    app,
    url,
    port,
    adapter,
    as: (caller) => testRequests({ pki, url, certificate: caller }),
    anonymous: () => testRequests({ pki, url }),
    viaProxy: (caller) =>
      testRequests({ pki, url, certificate: pki.proxy, forwarding: { ...forwarding, caller } }),
    close: () => app.close(),
  };
}
