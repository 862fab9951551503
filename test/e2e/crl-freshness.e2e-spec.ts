import { X509Certificate } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createRootCa, issue } from 'nest-mtls-auth/testing';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const DAY = 24 * 60 * 60 * 1000;
/** Now, to the second: CRL times are written in whole seconds. */
const second = () => Math.floor(Date.now() / 1000) * 1000;

interface CrlHealth {
  readonly warning: boolean;
  readonly [name: string]: unknown;
}

describe.each(ADAPTERS)('CRLs that are not current on %s', (adapter) => {
  // A CA of its own per adapter, so that each app's log lines name their own CA (nestjs-pino
  // writes every app of this file to one stream).
  const caName = `CRL Test CA ${adapter}`;
  const entry = `client-ca:${caName}`;
  let app: RunningApp;
  let live: string;
  let client: PkiFile;
  let ca: Awaited<ReturnType<typeof createRootCa>>;
  let stale: { crl: string; nextUpdate: Date };
  /** Atomic replacement, as Kubernetes and cert-manager do it. */
  const replaceCrl = (content: string) => {
    writeFileSync(join(live, '.ca.crl.tmp'), content);
    renameSync(join(live, '.ca.crl.tmp'), join(live, 'ca.crl'));
  };
  const warnings = () =>
    app.logs().filter((l) => l.event === 'crl.not_current' && l.name === entry);
  const crlHealth = async () => {
    const res = await call(pki, `${app.managementUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    return (res.body as { details: { crls: CrlHealth } }).details.crls;
  };
  const whoami = () => call(pki, `${app.url}/api/whoami`, { client });

  beforeAll(async () => {
    ca = await createRootCa(`crl-ca-${adapter}`, `O=Test, CN=${caName}`);
    const issued = await issue('crl-client', ca, {
      subject: 'O=Test, OU=services, CN=billing-service',
      dns: ['billing-service'],
    });
    client = {
      name: 'crl-client',
      certFile: '',
      keyFile: '',
      certPem: issued.certPem,
      keyPem: issued.keyPem,
      x509: new X509Certificate(issued.certPem),
    };
    const nextUpdate = new Date(second() - DAY);
    stale = {
      crl: await createCrl(ca, [], { thisUpdate: new Date(second() - 8 * DAY), nextUpdate }),
      nextUpdate,
    };
    live = join(pki.dir, `crl-${adapter}`);
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'ca.crt'), ca.certPem);
    writeFileSync(join(live, 'ca.crl'), stale.crl);
    app = await startApp(pki, adapter, {
      MTLS_CA_FILE: join(live, 'ca.crt'),
      MTLS_CRL_FILE: join(live, 'ca.crl'),
      MANAGEMENT_PORT: '0',
    });
  });
  afterAll(() => app.close());

  it('warns at start-up of a CRL past its nextUpdate, naming the CA and the date, and still refuses its callers', async () => {
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({
      level: 40,
      state: 'expired',
      ca: `O=Test, CN=${caName}`,
      nextUpdate: stale.nextUpdate.toISOString(),
      file: join(live, 'ca.crl'),
    });
    expect(String(warnings()[0]?.msg)).toContain(
      `is past its nextUpdate (${stale.nextUpdate.toISOString()})`,
    );
    expect((await whoami()).status).toBe(401);
  });

  it('shows it in /health details as a warning, without making /health fail', async () => {
    expect(await crlHealth()).toEqual({
      status: 'up',
      warning: true,
      [entry]: {
        ca: `O=Test, CN=${caName}`,
        thisUpdate: expect.any(String) as string,
        nextUpdate: stale.nextUpdate.toISOString(),
        state: 'expired',
      },
    });
    // The probe's answer on the main port is unchanged.
    const probe = await call(pki, `${app.url}/health`);
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ status: 'ok' });
  });

  it('says so again on every reload: clears with a current CRL, warns of one not valid yet', async () => {
    const before = warnings().length;
    replaceCrl(await createCrl(ca, []));
    await eventually(async () => (await whoami()).status === 200, 'a current CRL in force');
    expect((await crlHealth())[entry]).toMatchObject({ state: 'ok' });
    expect(await crlHealth()).toMatchObject({ warning: false });
    expect(warnings()).toHaveLength(before);

    const thisUpdate = new Date(second() + DAY);
    replaceCrl(await createCrl(ca, [], { thisUpdate, nextUpdate: new Date(second() + 8 * DAY) }));
    await eventually(() => warnings().length > before, 'a warning on reload');
    expect(warnings().at(-1)).toMatchObject({
      state: 'not-yet-valid',
      thisUpdate: thisUpdate.toISOString(),
    });
    expect(String(warnings().at(-1)?.msg)).toContain('check the clocks');
    expect((await crlHealth())[entry]).toMatchObject({ state: 'not-yet-valid' });
    expect((await whoami()).status).toBe(401);

    replaceCrl(stale.crl);
    await eventually(() => warnings().length > before + 1, 'a second warning on reload');
    expect(warnings().at(-1)).toMatchObject({
      state: 'expired',
      nextUpdate: stale.nextUpdate.toISOString(),
    });
  });
});
