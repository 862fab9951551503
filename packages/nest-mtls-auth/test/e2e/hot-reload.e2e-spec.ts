import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { Agent } from 'node:https';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  type INestApplication,
  type LoggerService,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientIdentity,
  MtlsAuthModule,
  MtlsReloadService,
  mtlsServerOptions,
  type MtlsReloadMaterial,
} from 'nest-mtls-auth';
import { createRootCa, issue } from '../../src/testing/pki.js';
import { ADAPTERS, type Adapter } from '../support/adapters.js';
import { eventually } from '../support/eventually.js';
import { call, keepAliveAgent } from '../support/https-client.js';
import { useTestPki, type PkiFile } from '../support/test-pki.js';

const pki = useTestPki();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FILES = ['server.crt', 'server.key', 'ca.crt'];

/**
 * How the application reads its TLS material, at start-up and on every reload: its own files,
 * its own code (nothing of the starter's configuration), as the package README shows.
 */
function readTls(dir: string) {
  const trustedCa = readFileSync(join(dir, 'ca.crt'));
  return {
    trustedCa,
    httpsOptions: {
      cert: readFileSync(join(dir, 'server.crt')),
      key: readFileSync(join(dir, 'server.key')),
      ...mtlsServerOptions({ trustedCa, clientCertificates: 'allow' }),
    },
  } satisfies MtlsReloadMaterial;
}

const TLS_DIR = 'TLS_DIR';

/** Hot reload enabled the Nest way: a provider of the application watches at bootstrap. */
@Injectable()
class TlsReload implements OnApplicationBootstrap {
  constructor(
    private readonly reloads: MtlsReloadService,
    @Inject(TLS_DIR) private readonly dir: string,
  ) {}

  onApplicationBootstrap(): void {
    this.reloads.watch({
      files: FILES.map((file) => join(this.dir, file)),
      read: () => readTls(this.dir),
    });
  }
}

@Controller()
class WhoamiController {
  @Get('whoami')
  whoami(@ClientIdentity() identity: ClientIdentity) {
    return { cn: identity.commonName };
  }
}

/** Every log line's message (the records are objects), as the application's logger got them. */
function capturingLogger(lines: Record<string, unknown>[]): LoggerService {
  const keep = (message: unknown) => {
    if (typeof message === 'object' && message !== null) lines.push({ ...message });
  };
  return { log: keep, error: keep, warn: keep, debug: keep, verbose: keep, fatal: keep };
}

interface ReloadingApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly port: number;
  /** The log lines of `event` so far. */
  events(event: string): Record<string, unknown>[];
  /** Closes the application (once, however often it is called). */
  close(): Promise<void>;
}

/**
 * Starts an application over TLS from the files of `dir` on a port the OS picks. `watch`:
 * `'provider'` watches `dir` from a provider; `'signal-only'` calls `watch()` after
 * `NestFactory.create()` with no files, so only `SIGHUP` (or `reload()`) reloads.
 */
async function startApp(
  adapter: Adapter,
  dir: string,
  watch: 'provider' | 'signal-only',
): Promise<ReloadingApp> {
  const lines: Record<string, unknown>[] = [];
  const tls = readTls(dir);
  @Module({
    imports: [MtlsAuthModule.forRoot({ trustedCa: tls.trustedCa })],
    controllers: [WhoamiController],
    providers: watch === 'provider' ? [{ provide: TLS_DIR, useValue: dir }, TlsReload] : [],
  })
  class ReloadingModule {}
  const options = { logger: capturingLogger(lines), abortOnError: false };
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(
          ReloadingModule,
          new FastifyAdapter({ https: tls.httpsOptions }),
          options,
        )
      : await NestFactory.create(ReloadingModule, new ExpressAdapter(), {
          ...options,
          httpsOptions: tls.httpsOptions,
        });
  if (watch === 'signal-only')
    app.get(MtlsReloadService).watch({ files: [], read: () => readTls(dir) });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  let closed: Promise<void> | undefined;
  return {
    app,
    port,
    url: `https://127.0.0.1:${port}`,
    events: (event) => lines.filter((line) => line.event === event),
    close: () => (closed ??= app.close()),
  };
}

/** The fingerprint of the certificate the server presents to a new connection. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '');
        socket.destroy();
      },
    );
    socket.on('error', reject);
  });
}

/** A folder of live files, written first as `files`. */
function liveFolder(name: string, files: Record<string, string>) {
  const dir = join(pki.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return {
    dir,
    /** Atomic replacement, as Kubernetes and cert-manager do it. */
    replace(file: string, content: string) {
      writeFileSync(join(dir, `.${file}.tmp`), content);
      renameSync(join(dir, `.${file}.tmp`), join(dir, file));
    },
  };
}

const startingFiles = () => ({
  'server.crt': pki.server.certPem,
  'server.key': pki.server.keyPem,
  'ca.crt': readFileSync(pki.caFile, 'utf8'),
});

describe.each(ADAPTERS)('hot reload of files on %s', (adapter) => {
  let app: ReloadingApp;
  let live: ReturnType<typeof liveFolder>;
  let newCaPem: string;
  /** A caller whose certificate only the new CA issued. */
  let newCaller: PkiFile;
  const status = async (client: PkiFile | undefined, agent?: Agent) => {
    const res = await call(pki, `${app.url}/whoami`, { client, agent });
    return `${res.status} ${res.body.code ?? String(res.body.cn)}`;
  };

  beforeAll(async () => {
    const newCa = await createRootCa(`reload-ca-${adapter}`, `O=Test, CN=Reload CA ${adapter}`);
    newCaPem = newCa.certPem;
    const issued = await issue('reload-caller', newCa, {
      subject: 'O=Test, OU=services, CN=payments-service',
      dns: ['payments-service'],
    });
    newCaller = {
      name: 'reload-caller',
      certFile: '',
      keyFile: '',
      certPem: issued.certPem,
      keyPem: issued.keyPem,
      x509: new X509Certificate(issued.certPem),
    };
    live = liveFolder(`reload-${adapter}`, startingFiles());
    app = await startApp(adapter, live.dir, 'provider');
  });
  afterAll(() => app.close());

  it('serves a new server certificate to new connections once its files change', async () => {
    expect(await servedFingerprint(app.port)).toBe(pki.server.x509.fingerprint256);
    live.replace('server.key', pki.server2.keyPem);
    live.replace('server.crt', pki.server2.certPem);
    await eventually(
      async () => (await servedFingerprint(app.port)) === pki.server2.x509.fingerprint256,
      'the new server certificate served',
    );
    expect(app.events('tls.reloaded').at(-1)).toMatchObject({ reason: 'file change' });
    expect(await status(pki.clients.billing)).toBe('200 billing-service');
  });

  it('judges new connections, and open ones, by a new CA bundle once its file changes', async () => {
    const open = keepAliveAgent(pki, pki.clients.billing);
    try {
      expect(await status(undefined, open)).toBe('200 billing-service');
      expect(await status(newCaller)).toBe('401 MTLS_CERT_UNTRUSTED');

      live.replace('ca.crt', newCaPem);
      await eventually(
        async () => (await status(newCaller)) === '200 payments-service',
        "the new CA's caller accepted",
      );
      // The old CA is trusted no more: by the handshake of a new connection, and by the module
      // on the connection opened before the change.
      expect(await status(pki.clients.billing)).toBe('401 MTLS_CERT_UNTRUSTED');
      expect(await status(undefined, open)).toBe('401 MTLS_CERT_UNTRUSTED');
    } finally {
      open.destroy();
    }
    // The overlap of a CA rotation: both trusted.
    live.replace('ca.crt', readFileSync(pki.caFile, 'utf8') + newCaPem);
    await eventually(
      async () => (await status(pki.clients.billing)) === '200 billing-service',
      'both CAs trusted',
    );
    expect(await status(newCaller)).toBe('200 payments-service');
  });

  it('keeps the material in force when a file is invalid, and says why', async () => {
    const served = await servedFingerprint(app.port);
    await sleep(300); // past the debounce: each change below is a reload of its own
    const failed = app.events('tls.reload_failed').length;
    live.replace('ca.crt', '-----BEGIN CERTIFICATE-----\nhalf written');
    await eventually(
      () => app.events('tls.reload_failed').length > failed,
      'the half-written CA bundle refused',
    );
    expect(app.events('tls.reload_failed').at(-1)).toMatchObject({
      reason: 'file change',
      error: expect.stringContaining('trustedCa: ') as string,
    });
    expect(await status(pki.clients.billing)).toBe('200 billing-service');
    expect(await status(newCaller)).toBe('200 payments-service');

    // A certificate that does not match the key: the server's context would not load.
    live.replace('ca.crt', readFileSync(pki.caFile, 'utf8') + newCaPem);
    await sleep(300);
    const failedAgain = app.events('tls.reload_failed').length;
    live.replace('server.crt', pki.server.certPem);
    await eventually(
      () => app.events('tls.reload_failed').length > failedAgain,
      'the mismatched certificate refused',
    );
    expect(app.events('tls.reload_failed').at(-1)).toMatchObject({
      error: expect.stringContaining('httpsOptions: ') as string,
    });
    expect(await servedFingerprint(app.port)).toBe(served);
    expect(await status(pki.clients.billing)).toBe('200 billing-service');

    // Mended: the next change takes.
    live.replace('server.key', pki.server.keyPem);
    await eventually(
      async () => (await servedFingerprint(app.port)) === pki.server.x509.fingerprint256,
      'the mended pair served',
    );
  });
});

describe.each(ADAPTERS)('hot reload on SIGHUP on %s', (adapter) => {
  let app: ReloadingApp;
  let live: ReturnType<typeof liveFolder>;
  let listenersBefore: number;

  beforeAll(async () => {
    listenersBefore = process.listenerCount('SIGHUP');
    live = liveFolder(`sighup-${adapter}`, startingFiles());
    app = await startApp(adapter, live.dir, 'signal-only');
  });
  afterAll(() => app?.close());

  it('reloads on SIGHUP what no watch announced', async () => {
    live.replace('server.key', pki.server2.keyPem);
    live.replace('server.crt', pki.server2.certPem);
    await sleep(400);
    expect(await servedFingerprint(app.port)).toBe(pki.server.x509.fingerprint256);

    // The application listens (without a listener, SIGHUP would end the test's process).
    expect(process.listenerCount('SIGHUP')).toBe(listenersBefore + 1);
    process.kill(process.pid, 'SIGHUP');
    await eventually(
      async () => (await servedFingerprint(app.port)) === pki.server2.x509.fingerprint256,
      'the new server certificate served after SIGHUP',
    );
    expect(app.events('tls.reloaded').at(-1)).toMatchObject({ reason: 'SIGHUP' });
  });

  it('answers reload() with false on an invalid file, and true once it is mended', () => {
    const reloads = app.app.get(MtlsReloadService);
    live.replace('server.key', pki.server.keyPem);
    expect(reloads.reload('test')).toBe(false);
    expect(app.events('tls.reload_failed').at(-1)).toMatchObject({ reason: 'test' });
    live.replace('server.crt', pki.server.certPem);
    expect(reloads.reload('test')).toBe(true);
  });

  it('stops listening when the application closes', async () => {
    await app.close();
    expect(process.listenerCount('SIGHUP')).toBe(listenersBefore);
  });
});
