import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { callWithSession } from '../support/tls-session-client.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const newKey = () => randomBytes(48).toString('base64');

describe.each(ADAPTERS)('TLS sessions shared by replicas on %s', (adapter) => {
  let live: string;
  let one: RunningApp;
  let two: RunningApp;
  let loner: RunningApp;
  const keyA = newKey();
  const keyB = newKey();
  /** Atomic replacement, as Kubernetes and cert-manager do it. */
  const replace = (name: string, content: string) => {
    writeFileSync(join(live, `.${name}.tmp`), content);
    renameSync(join(live, `.${name}.tmp`), join(live, name));
  };
  const reloads = () => one.logs().filter((l) => l.event === 'tls.reloaded').length;
  /** Replaces a file both replicas watch and waits until both have reloaded. */
  const replaceAndWait = async (name: string, content: string) => {
    const before = reloads();
    replace(name, content);
    await eventually(() => reloads() >= before + 2, `both replicas reloaded ${name}`);
  };

  beforeAll(async () => {
    live = join(pki.dir, `sessions-${adapter}`);
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'ca.crl'), readFileSync(pki.emptyCrlFile));
    writeFileSync(join(live, 'ticket-keys'), `# the first key encrypts\n${keyA}\n`);
    const env = {
      TLS_TICKET_KEYS_FILE: join(live, 'ticket-keys'),
      MTLS_CRL_FILE: join(live, 'ca.crl'),
    };
    one = await startApp(pki, adapter, env);
    two = await startApp(pki, adapter, env);
    // The control: the same trust (so the same session id context), its own random ticket key.
    const alone = join(pki.dir, `sessions-alone-${adapter}`);
    mkdirSync(alone, { recursive: true });
    writeFileSync(join(alone, 'ca.crl'), readFileSync(pki.emptyCrlFile));
    loner = await startApp(pki, adapter, { MTLS_CRL_FILE: join(alone, 'ca.crl') });
  });
  afterAll(async () => {
    await Promise.all([one, two, loner].map((app) => app?.close()));
  });

  it('resumes on a second replica a session the first one made, as the same caller', async () => {
    const first = await callWithSession(pki, `${one.url}/api/whoami`, {
      client: pki.clients.billing,
    });
    expect(first).toMatchObject({ status: 200, reused: false });
    expect(first.session).toBeDefined();
    const second = await callWithSession(pki, `${two.url}/api/whoami`, {
      client: pki.clients.billing,
      session: first.session,
    });
    expect(second.reused).toBe(true);
    expect(second.status).toBe(200);
    expect(second.body.commonName).toBe('billing-service');
    // A process keyed on its own does not know the ticket.
    const alone = await callWithSession(pki, `${loner.url}/api/whoami`, {
      client: pki.clients.billing,
      session: first.session,
    });
    expect(alone).toMatchObject({ status: 200, reused: false });
  });

  it('picks up a rotated keys file without restart: tickets of the previous first key still resume', async () => {
    const underA = (
      await callWithSession(pki, `${one.url}/api/data`, { client: pki.clients.billing })
    ).session;
    await replaceAndWait('ticket-keys', `${keyB}\n${keyA}\n`);
    const resumed = await callWithSession(pki, `${two.url}/api/data`, {
      client: pki.clients.billing,
      session: underA,
    });
    expect(resumed).toMatchObject({ status: 200, reused: true });
    const underB = resumed.session;

    // The previous key retired: its tickets take a full handshake; the new key's still resume.
    await replaceAndWait('ticket-keys', `${keyB}\n`);
    expect(
      await callWithSession(pki, `${one.url}/api/data`, {
        client: pki.clients.billing,
        session: underA,
      }),
    ).toMatchObject({ status: 200, reused: false });
    expect(
      await callWithSession(pki, `${one.url}/api/data`, {
        client: pki.clients.billing,
        session: underB,
      }),
    ).toMatchObject({ status: 200, reused: true });
  });

  it('does not resume a session verified under trust that has changed since: a newly revoked caller is refused at once', async () => {
    const before = await callWithSession(pki, `${one.url}/api/data`, {
      client: pki.clients.revoked,
    });
    expect(before.status).toBe(200);
    expect(before.session).toBeDefined();
    // Under the same trust, the session resumes (the test can tell resumption from its absence).
    const again = await callWithSession(pki, `${two.url}/api/data`, {
      client: pki.clients.revoked,
      session: before.session,
    });
    expect(again).toMatchObject({ status: 200, reused: true });

    await replaceAndWait('ca.crl', readFileSync(pki.crlFile, 'utf8'));
    for (const app of [one, two]) {
      const after = await callWithSession(pki, `${app.url}/api/data`, {
        client: pki.clients.revoked,
        session: before.session,
      });
      expect(after.reused).toBe(false);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('MTLS_CERT_REVOKED');
    }
    await replaceAndWait('ca.crl', readFileSync(pki.emptyCrlFile, 'utf8'));
  });

  it('refuses a malformed keys file on reload and keeps the keys in force', async () => {
    const session = (
      await callWithSession(pki, `${one.url}/api/data`, { client: pki.clients.billing })
    ).session;
    const failed = () => one.logs().filter((l) => l.event === 'tls.reload_failed').length;
    const failedBefore = failed();
    replace('ticket-keys', 'not a key\n');
    await eventually(() => failed() >= failedBefore + 2, 'both replicas refused the file');
    expect(
      await callWithSession(pki, `${two.url}/api/data`, { client: pki.clients.billing, session }),
    ).toMatchObject({ status: 200, reused: true });
    await replaceAndWait('ticket-keys', `# mended\n${keyB}\n`);
  });
});
