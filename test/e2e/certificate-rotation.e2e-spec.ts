import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Agent } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createRootCa, issue } from 'nest-mtls-auth/testing';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call, keepAliveAgent } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
/** How many log lines of this event all apps of this file have written so far. */
const events = (name: string) => logLines().filter((l) => l.event === name).length;
let logLines: () => Record<string, unknown>[] = () => [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fingerprint of the certificate the server presents to a new connection. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        resolve(s.getPeerX509Certificate()?.fingerprint256 ?? '');
        s.destroy();
      },
    );
    s.on('error', reject);
  });
}

/**
 * Valid requests, all along, over one keep-alive connection and over new connections; `stop()`
 * says how many were sent and which failed.
 */
function startLoad(app: RunningApp, keepAlive: Agent) {
  const failures: string[] = [];
  let sent = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const agent of [keepAlive, undefined]) {
        try {
          const res = await call(pki, `${app.url}/api/data`, {
            agent,
            client: pki.clients.billing,
          });
          if (res.status !== 200) failures.push(`${res.status} ${res.body.code}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
        sent++;
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { sent, failures };
    },
  };
}

describe.each(ADAPTERS)('certificate rotation without restart on %s', (adapter) => {
  let app: RunningApp;
  let live: string;
  let newCa: Awaited<ReturnType<typeof createRootCa>>;
  let newClient: PkiFile;
  let oldEmptyCrl: string;
  let newEmptyCrl: string;
  /** Atomic replacement, as Kubernetes and cert-manager do it. */
  const replace = (name: string, content: string) => {
    writeFileSync(join(live, `.${name}.tmp`), content);
    renameSync(join(live, `.${name}.tmp`), join(live, name));
  };

  beforeAll(async () => {
    live = join(pki.dir, `live-${adapter}`);
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'server.crt'), pki.server.certPem);
    writeFileSync(join(live, 'server.key'), pki.server.keyPem);
    writeFileSync(join(live, 'ca.crt'), readFileSync(pki.caFile));
    oldEmptyCrl = readFileSync(pki.emptyCrlFile, 'utf8');
    writeFileSync(join(live, 'ca.crl'), oldEmptyCrl);
    newCa = await createRootCa('new-ca', 'O=Test, CN=Test Root CA 2027');
    const issued = await issue('newClient', newCa, {
      subject: 'O=Test, OU=services, CN=billing-service',
      dns: ['billing-service'],
    });
    newClient = {
      name: 'newClient',
      certFile: '',
      keyFile: '',
      certPem: issued.certPem,
      keyPem: issued.keyPem,
      x509: new X509Certificate(issued.certPem),
    };
    newEmptyCrl = await createCrl(newCa, []);
    app = await startApp(pki, adapter, {
      TLS_CERT_FILE: join(live, 'server.crt'),
      TLS_KEY_FILE: join(live, 'server.key'),
      MTLS_CA_FILE: join(live, 'ca.crt'),
      MTLS_CRL_FILE: join(live, 'ca.crl'),
    });
  });
  beforeAll(() => {
    logLines = () => app.logs();
  });
  afterAll(() => app.close());

  it('rotates server certificate, CA bundle and CRL under load with zero failed valid requests', async () => {
    // Load: valid requests over one keep-alive connection and over new connections, all along.
    const keepAlive = keepAliveAgent(pki, pki.clients.billing);
    const revokedConnection = keepAliveAgent(pki, pki.clients.revoked);
    expect((await call(pki, `${app.url}/api/data`, { agent: revokedConnection })).status).toBe(200);
    const reloadsBefore = events('tls.reloaded');
    const load = startLoad(app, keepAlive);
    let outcome: { sent: number; failures: string[] };
    try {
      // 1. New server certificate and key: new connections get it.
      replace('server.key', pki.server2.keyPem);
      replace('server.crt', pki.server2.certPem);
      await eventually(
        async () => (await servedFingerprint(app.port)) === pki.server2.x509.fingerprint256,
        'the new server certificate',
      );

      // 2. CA bundle with the old and the new CA (overlap), and a CRL from each.
      replace('ca.crl', oldEmptyCrl + newEmptyCrl);
      replace('ca.crt', readFileSync(pki.caFile, 'utf8') + newCa.certPem);
      await eventually(async () => {
        const r = await call(pki, `${app.url}/api/whoami`, { client: newClient });
        return r.status === 200;
      }, 'a client of the new CA accepted');

      // 3. A CRL revoking a client: refused on its next request, on its already-open connection.
      // (the test PKI's CRL of the real CA revokes its "revoked" client)
      replace('ca.crl', readFileSync(pki.crlFile, 'utf8') + newEmptyCrl);
      await eventually(async () => {
        const res = await call(pki, `${app.url}/api/data`, { agent: revokedConnection });
        return res.status === 401 && res.body.code === 'MTLS_CERT_REVOKED';
      }, 'the revoked client refused on its open connection');

      await sleep(300);
    } finally {
      outcome = await load.stop();
      keepAlive.destroy();
      revokedConnection.destroy();
    }
    const { sent, failures } = outcome;
    expect(sent).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(events('tls.reloaded') - reloadsBefore).toBeGreaterThanOrEqual(3);
  });

  it('keeps the previous certificates when a replacement is invalid, and says why', async () => {
    const before = await servedFingerprint(app.port);
    const failedBefore = events('tls.reload_failed');
    writeFileSync(join(live, 'server.crt'), '-----BEGIN CERTIFICATE-----\nhalf written');
    await eventually(() => events('tls.reload_failed') > failedBefore, 'a reload failure logged');
    expect(await servedFingerprint(app.port)).toBe(before);
    expect((await call(pki, `${app.url}/api/data`, { client: pki.clients.billing })).status).toBe(
      200,
    );
    replace('server.crt', pki.server2.certPem);
  });

  it('keeps the working server certificate when a CA certificate replaces it, and says why', async () => {
    replace('server.key', pki.server2.keyPem);
    replace('server.crt', pki.server2.certPem);
    await eventually(
      async () => (await servedFingerprint(app.port)) === pki.server2.x509.fingerprint256,
      'the working server certificate',
    );
    await sleep(300); // past the debounce: the next change is a reload of its own
    const seen = logLines().length;
    const refusedCa = () =>
      logLines()
        .slice(seen)
        .some(
          (l) =>
            l.event === 'tls.reload_failed' &&
            String(l.error).includes('is a CA certificate (basicConstraints CA:TRUE)'),
        );
    // The CA and its own key: a pair that loads, so only the CA check stands in the way.
    replace('server.key', readFileSync(pki.caKeyFile, 'utf8'));
    replace('server.crt', readFileSync(pki.caFile, 'utf8'));
    await eventually(refusedCa, 'the CA certificate refused on reload');
    expect(await servedFingerprint(app.port)).toBe(pki.server2.x509.fingerprint256);
    expect((await call(pki, `${app.url}/api/data`, { client: pki.clients.billing })).status).toBe(
      200,
    );
    replace('server.key', pki.server2.keyPem);
    replace('server.crt', pki.server2.certPem);
  });
});

describe.each(ADAPTERS)('a cert-manager renewal in a Kubernetes Secret volume on %s', (adapter) => {
  let app: RunningApp;
  let volume: string;
  let generation = 0;
  /**
   * Publishes files as the kubelet's atomic writer does for a Secret volume: a new timestamped
   * directory, a `..data_tmp` symlink to it renamed over `..data`, the old directory removed. The
   * names the app reads (`tls.crt`, ...) are symlinks through `..data` and never change.
   */
  const publish = (files: Record<string, string>) => {
    const dir = `..2026_12_02_00_00_00.${++generation}`;
    mkdirSync(join(volume, dir));
    for (const [name, content] of Object.entries(files))
      writeFileSync(join(volume, dir, name), content);
    const previous = existsSync(join(volume, '..data'))
      ? readlinkSync(join(volume, '..data'))
      : undefined;
    symlinkSync(dir, join(volume, '..data_tmp'));
    renameSync(join(volume, '..data_tmp'), join(volume, '..data'));
    for (const name of Object.keys(files)) {
      if (!existsSync(join(volume, name))) symlinkSync(join('..data', name), join(volume, name));
    }
    if (previous) rmSync(join(volume, previous), { recursive: true });
  };

  beforeAll(async () => {
    volume = join(pki.dir, `secret-volume-${adapter}`);
    mkdirSync(volume, { recursive: true });
    publish({
      'tls.crt': pki.server.certPem,
      'tls.key': pki.server.keyPem,
      'ca.crt': readFileSync(pki.caFile, 'utf8'),
    });
    app = await startApp(pki, adapter, {
      TLS_CERT_FILE: join(volume, 'tls.crt'),
      TLS_KEY_FILE: join(volume, 'tls.key'),
      MTLS_CA_FILE: join(volume, 'ca.crt'),
    });
  });
  afterAll(() => app.close());

  it('serves the renewed certificate to new connections, with zero failed requests under load', async () => {
    expect(await servedFingerprint(app.port)).toBe(pki.server.x509.fingerprint256);
    const keepAlive = keepAliveAgent(pki, pki.clients.billing);
    const load = startLoad(app, keepAlive);
    let outcome: { sent: number; failures: string[] };
    try {
      await sleep(200);
      publish({
        'tls.crt': pki.server2.certPem,
        'tls.key': pki.server2.keyPem,
        'ca.crt': readFileSync(pki.caFile, 'utf8'),
      });
      await eventually(
        async () => (await servedFingerprint(app.port)) === pki.server2.x509.fingerprint256,
        'the renewed server certificate',
      );
      await sleep(300);
    } finally {
      outcome = await load.stop();
      keepAlive.destroy();
    }
    const { sent, failures } = outcome;
    expect(sent).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });
});
