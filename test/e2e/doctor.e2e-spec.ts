import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRootCa, issue } from 'nest-mtls-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  CLIENTS,
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { pkiEnv, startApp, type RunningApp } from '../support/app-launcher.js';
import { FixtureRoutesModule } from '../support/fixture-routes.js';

const pki = useTestPki();

/** The environment startApp gives the service, for the doctor to read the same configuration. */
const envOf = (extra: Record<string, string | undefined> = {}) => ({
  HTTP_ADAPTER: 'express',
  PORT: '0',
  HOST: '127.0.0.1',
  ...pkiEnv(pki),
  MTLS_CRL_FILE: pki.crlFile,
  LOG_LEVEL: 'silent',
  ...extra,
});

async function doctor(args: string[], extra: Record<string, string | undefined> = {}) {
  const { output, status } = await runDoctor([...args, '--json'], envOf(extra), {
    features: [FixtureRoutesModule],
  });
  return { report: JSON.parse(output) as DoctorReport, status };
}

const fixesOf = (report: DoctorReport) => [
  ...report.steps.flatMap((s) => (s.fix ? [s.fix] : [])),
  ...report.routes.flatMap((r) => (r.fix ? [r.fix] : [])),
];

describe('npm run doctor: the service own checks, explained', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, 'express', { MTLS_CRL_FILE: pki.crlFile });
  });
  afterAll(() => app.close());

  it('gives every certificate of the test PKI the reason code the running service gives it', async () => {
    const rows: string[] = [];
    for (const client of CLIENTS) {
      const served = await call(pki, `${app.url}/api/whoami`, { client: pki.clients[client] });
      const { report, status } = await doctor([pki.clients[client].certFile]);
      rows.push(`${client}: ${served.body.code ?? 'accepted'}`);
      expect(report.code, client).toBe(served.body.code);
      expect(status, client).toBe(served.status === 200 ? 0 : 1);
    }
    process.stdout.write(`doctor agrees with the service on ${rows.length} certificates\n`);
  });

  it.each([
    ['serverAuthOnly', 'extendedKeyUsage = clientAuth'],
    ['viaIntermediate', 'add the CA that issued it'],
    ['rogue', 'did not sign this certificate'],
    ['revoked', 'issue a new certificate'],
    ['expired', 'renew the certificate'],
    ['caAsClient', 'use a leaf certificate'],
  ] as const)('names the fix for %s', async (client: ClientName, fix) => {
    const { report } = await doctor([pki.clients[client].certFile]);
    expect(fixesOf(report).join('\n')).toContain(fix);
  });

  it('names the expired intermediate of a chain, and how to fix it', async () => {
    const DAY = 24 * 60 * 60 * 1000;
    const root = await createRootCa('doctor-root', 'O=Doctor, CN=Doctor Root');
    const expired = await issue('doctor-int', root, {
      subject: 'O=Doctor, CN=Doctor Expired CA',
      ca: true,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const leaf = await issue('doctor-leaf', expired, { subject: 'O=Doctor, CN=late-service' });
    const bundle = join(pki.dir, 'doctor-bundle.crt');
    const leafFile = join(pki.dir, 'doctor-leaf.crt');
    writeFileSync(bundle, expired.certPem + root.certPem);
    writeFileSync(leafFile, leaf.certPem);
    const { report } = await doctor([leafFile], { MTLS_CA_FILE: bundle, MTLS_CRL_FILE: undefined });
    expect(report.code).toBe('MTLS_CERT_EXPIRED');
    expect(report.steps.find((s) => s.check === 'validity')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('"CN=Doctor Expired CA,O=Doctor" expired on') as string,
      fix: expect.stringContaining(
        'reissue it under a current "CN=Doctor Expired CA,O=Doctor"',
      ) as string,
    });
  });

  it('names the setting for an allowlist miss and a pin miss, and the route for a route miss', async () => {
    const allowlist = await doctor([pki.clients.notification.certFile], {
      MTLS_ALLOWED_SERVICES: 'billing-service',
    });
    expect(allowlist.report.code).toBe('MTLS_SERVICE_FORBIDDEN');
    expect(fixesOf(allowlist.report).join('\n')).toMatch(/add \S+ to MTLS_ALLOWED_SERVICES/);
    const pins = await doctor([pki.clients.gateway.certFile], {
      MTLS_ALLOWED_FINGERPRINTS: pki.clients.billing.x509.fingerprint256,
    });
    expect(pins.report.code).toBe('MTLS_FINGERPRINT_FORBIDDEN');
    expect(fixesOf(pins.report).join('\n')).toContain(
      `add its SHA-256 ${pki.clients.gateway.x509.fingerprint256} to MTLS_ALLOWED_FINGERPRINTS`,
    );
    const route = await doctor([pki.clients.notification.certFile]);
    expect(route.status).toBe(0);
    expect(route.report.routes.find((r) => r.path === '/api/invoices')).toMatchObject({
      access: 'refused',
      fix: expect.stringContaining(
        "@AllowServices('billing-service') on FixtureController",
      ) as string,
    });
    expect(route.report.routes.find((r) => r.path === '/info')?.access).toBe('public');
  });

  it('reads a header as nginx forwards it, and says when it is not a certificate', async () => {
    const header = encodeURIComponent(pki.clients.billing.certPem);
    const ok = await doctor([`--header=${header}`]);
    expect(ok.report.code).toBeUndefined();
    expect(ok.status).toBe(0);
    const bad = await doctor(['--header=not-a-certificate']);
    expect(bad.report.code).toBe('MTLS_CERT_MALFORMED');
  });

  it('--connect: shows the running service and its answer, which agrees; sends nothing to an untrusted server', async () => {
    const connect = (client: ClientName, ca = pki.caFile) =>
      doctor([
        pki.clients[client].certFile,
        `--key=${pki.clients[client].keyFile}`,
        `--connect=127.0.0.1:${app.port}`,
        '--path=/api/whoami',
        `--cacert=${ca}`,
      ]);
    const billing = await connect('billing');
    expect(billing.report.running).toMatchObject({
      trusted: true,
      server: { subject: expect.stringContaining('CN=localhost') as string },
      answer: { status: 200 },
    });
    const rogue = await connect('rogue');
    expect(rogue.report.running?.answer).toMatchObject({
      status: 401,
      code: 'MTLS_CERT_UNTRUSTED',
    });
    expect(rogue.report.code).toBe('MTLS_CERT_UNTRUSTED');
    const distrusted = await connect('billing', pki.rogueCaFile);
    expect(distrusted.report.running?.trusted).toBe(false);
    expect(distrusted.report.running?.answer).toBeUndefined();
  });

  it('exits 2 with one line when the configuration or the file cannot be read', async () => {
    const missing = await runDoctor(['/nonexistent.crt'], envOf(), {
      features: [FixtureRoutesModule],
    });
    expect(missing.status).toBe(2);
    const config = await runDoctor([pki.clients.billing.certFile], envOf({ MTLS_OCSP: 'hrad' }), {
      features: [FixtureRoutesModule],
    });
    expect(config.status).toBe(2);
    expect(config.output).toContain('MTLS_OCSP="hrad"');
  });
});
