import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRootCa, issue, type Issued } from 'nest-mtls-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor-cli.js';
import type { DoctorReport } from '../../src/doctor/doctor.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { ADAPTERS, pkiEnv, startApp, type RunningApp } from '../support/app-launcher.js';
import { FixtureRoutesModule } from '../support/fixture-routes.js';
import { CertificateInventory } from '../../src/health/certificate-inventory.js';

const pki = useTestPki();

/**
 * Two trust domains, each with its own CA: example.org (a root in its bundle, and an
 * intermediate its workloads send, as SPIRE's are) and partner.example. Partner's CA also mints
 * an example.org identity and a plain name: neither may pass.
 */
interface Domains {
  readonly dir: string;
  readonly bundles: { readonly org: string; readonly partner: string };
  readonly orgRoot: Issued;
  readonly partnerRoot: Issued;
  readonly otherPartnerRoot: Issued;
  /** spiffe://example.org/ns/prod/sa/billing, under example.org's intermediate (sent along). */
  readonly orgBilling: PkiFile;
  /** spiffe://partner.example/ns/prod/sa/partner, from partner.example's root. */
  readonly partner: PkiFile;
  /** spiffe://example.org/ns/prod/sa/billing, minted by partner.example's root. */
  readonly forged: PkiFile;
  /** CN=billing-service (no SPIFFE ID), from partner.example's root. */
  readonly partnerName: PkiFile;
}

let domains: Domains;

function file(dir: string, name: string, item: Issued, chain: readonly Issued[] = []): PkiFile {
  const certPem = item.certPem + chain.map((c) => c.certPem).join('');
  writeFileSync(join(dir, `${name}.crt`), certPem);
  writeFileSync(join(dir, `${name}.key`), item.keyPem, { mode: 0o600 });
  return {
    name,
    certFile: join(dir, `${name}.crt`),
    keyFile: join(dir, `${name}.key`),
    certPem,
    keyPem: item.keyPem,
    x509: new X509Certificate(item.certPem),
  };
}

/** A SPIFFE bundle in its JWKS form (what SPIRE's bundle endpoint serves). */
const jwks = (...cas: Issued[]) =>
  JSON.stringify({
    spiffe_sequence: 7,
    keys: cas.map((ca) => ({
      use: 'x509-svid',
      kty: 'EC',
      x5c: [new X509Certificate(ca.certPem).raw.toString('base64')],
    })),
  });

/** Replaces a watched file the way Kubernetes does: write beside it, then rename over it. */
function replace(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-spiffe-'));
  const orgRoot = await createRootCa('org-root', 'O=example.org, CN=example.org Root');
  const orgIntermediate = await issue('org-int', orgRoot, {
    subject: 'O=example.org, CN=example.org SPIRE Intermediate',
    ca: true,
  });
  const partnerRoot = await createRootCa('partner-root', 'O=partner.example, CN=Partner Root');
  const otherPartnerRoot = await createRootCa(
    'partner-root-2',
    'O=partner.example, CN=Partner Root 2',
  );
  const svid = (uri: string) => ({ subject: 'O=SPIRE', uris: [uri] });
  const org = join(dir, 'org.pem');
  const partner = join(dir, 'partner.jwks');
  writeFileSync(org, orgRoot.certPem);
  writeFileSync(partner, jwks(partnerRoot));
  domains = {
    dir,
    bundles: { org, partner },
    orgRoot,
    partnerRoot,
    otherPartnerRoot,
    orgBilling: file(
      dir,
      'org-billing',
      await issue('org-billing', orgIntermediate, svid('spiffe://example.org/ns/prod/sa/billing')),
      [orgIntermediate],
    ),
    partner: file(
      dir,
      'partner',
      await issue('partner', partnerRoot, svid('spiffe://partner.example/ns/prod/sa/partner')),
    ),
    forged: file(
      dir,
      'forged',
      await issue('forged', partnerRoot, svid('spiffe://example.org/ns/prod/sa/billing')),
    ),
    partnerName: file(
      dir,
      'partner-name',
      await issue('partner-name', partnerRoot, {
        subject: 'O=partner.example, CN=billing-service',
        dns: ['billing-service'],
      }),
    ),
  };
});
afterAll(() => rmSync(domains.dir, { recursive: true, force: true }));

const bundlesEnv = () =>
  JSON.stringify({
    'example.org': domains.bundles.org,
    'partner.example': domains.bundles.partner,
  });

describe.each(ADAPTERS)(
  'SPIFFE trust domains that cannot vouch for each other, on %s',
  (adapter) => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        MTLS_SPIFFE_BUNDLES: bundlesEnv(),
        // A trusted proxy by its certificate (a plain name of MTLS_CA_FILE): forwarded requests.
        MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
        MTLS_PROXY_PRESET: 'rfc9440',
      });
    });
    afterAll(() => app?.close());

    /** Over TLS, presenting the certificate (and the chain in its file). */
    const direct = (client: PkiFile, path = '/api/whoami') =>
      call(pki, `${app.url}${path}`, { client });
    /** Through the trusted proxy, with the chain in Client-Cert-Chain. */
    const forwarded = (client: PkiFile, path = '/api/whoami') => {
      const [leaf, ...chain] = client.certPem
        .split(/(?<=-----END CERTIFICATE-----\n?)/)
        .filter((p) => p.trim() !== '')
        .map((p) => new X509Certificate(p));
      return call(pki, `${app.url}${path}`, {
        client: pki.clients.proxy,
        headers: {
          'client-cert': `:${leaf!.raw.toString('base64')}:`,
          'client-cert-chain': chain.map((c) => `:${c.raw.toString('base64')}:`).join(', '),
        },
      });
    };
    const ways = [
      ['directly', direct],
      ['forwarded', forwarded],
    ] as const;

    it.each(ways)(
      "accepts each domain's identities from its own CA (federation), %s",
      async (_way, ask) => {
        const org = await ask(domains.orgBilling, '/api/prod');
        expect(org.status, JSON.stringify(org.body)).toBe(200);
        const partner = await ask(domains.partner);
        expect(partner.body).toMatchObject({
          spiffeId: 'spiffe://partner.example/ns/prod/sa/partner',
        });
        // A plain name from a CA of MTLS_CA_FILE is as before.
        expect((await ask(pki.clients.gateway)).body).toMatchObject({
          commonName: 'gateway-service',
        });
      },
    );

    it('resumes no TLS session, so a leaf whose intermediate only its handshake carried is judged with it on every connection', async () => {
      const agent = new Agent({ keepAlive: false, maxCachedSessions: 10 });
      const ask = () =>
        new Promise<{ status: number; resumed: boolean }>((resolve, reject) => {
          const req = request(
            `${app.url}/api/prod`,
            {
              agent,
              ca: readFileSync(pki.caFile),
              cert: domains.orgBilling.certPem,
              key: domains.orgBilling.keyPem,
              servername: 'localhost',
            },
            (res) => {
              const resumed = (res.socket as TLSSocket).isSessionReused();
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, resumed }));
            },
          );
          req.on('error', reject);
          req.end();
        });
      for (let i = 0; i < 3; i++) expect(await ask()).toEqual({ status: 200, resumed: false });
      agent.destroy();
    });

    it.each(ways)(
      "refuses an example.org identity minted by partner.example's CA, naming both domains, %s",
      async (_way, ask) => {
        for (const path of ['/api/whoami', '/api/prod']) {
          const res = await ask(domains.forged, path);
          expect(res.status).toBe(401);
          expect(res.body.code).toBe('MTLS_CERT_UNTRUSTED');
          expect(res.body.message).toContain('names trust domain example.org');
          expect(res.body.message).toContain('a CA of trust domain partner.example');
        }
      },
    );

    it.each(ways)("refuses a plain name from a trust domain's CA, %s", async (_way, ask) => {
      const res = await ask(domains.partnerName, '/api/invoices');
      expect(res.body.code).toBe('MTLS_CERT_UNTRUSTED');
      expect(res.body.message).toContain('no SPIFFE ID');
    });

    it.each(ways)(
      'refuses a SPIFFE ID of a trust domain that has no bundle, even from MTLS_CA_FILE, %s',
      async (_way, ask) => {
        // The test PKI's billing certificate is spiffe://example.test/..., from the CA of MTLS_CA_FILE.
        const res = await ask(pki.clients.billing);
        expect(res.body.code).toBe('MTLS_CERT_UNTRUSTED');
        expect(res.body.message).toContain('example.test, which has no bundle here');
        const logged = app.logs().filter((l) => l.event === 'mtls.rejected' && l.detail);
        expect(JSON.stringify(logged.at(-1))).toContain('example.test');
      },
    );
  },
);

describe('MTLS_SPIFFE_BUNDLES is hot-reloaded like the CA file', () => {
  it.each(ADAPTERS)(
    'applies a new bundle to new connections and forwarded callers, on %s',
    async (adapter) => {
      const dir = mkdtempSync(join(tmpdir(), 'mtls-spiffe-live-'));
      const partner = join(dir, 'partner.jwks');
      writeFileSync(partner, jwks(domains.partnerRoot));
      const app = await startApp(pki, adapter, {
        MTLS_SPIFFE_BUNDLES: JSON.stringify({
          'example.org': domains.bundles.org,
          'partner.example': partner,
        }),
        MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
        MTLS_PROXY_PRESET: 'rfc9440',
      });
      try {
        const direct = () => call(pki, `${app.url}/api/whoami`, { client: domains.partner });
        const forwarded = () =>
          call(pki, `${app.url}/api/whoami`, {
            client: pki.clients.proxy,
            headers: { 'client-cert': `:${domains.partner.x509.raw.toString('base64')}:` },
          });
        // Both ways, asked one after the other: a reload may land between them, so each state
        // is waited for on both, then held.
        const both = async () => [(await direct()).body.code, (await forwarded()).body.code];
        const until = (code: string | undefined, what: string) =>
          eventually(async () => (await both()).every((c) => c === code), what);
        // The bundles' CAs are watched for expiry (/health, /metrics) as MTLS_CA_FILE's are.
        const watched = () =>
          app.app
            .get(CertificateInventory)
            .entries()
            .map((e) => e.name)
            .filter((name) => name.startsWith('client-ca:spiffe://partner.example:'));
        await until(undefined, 'accepted both ways');
        expect(watched()).toEqual(['client-ca:spiffe://partner.example:Partner Root']);
        // partner.example rotates to a new root: the old one no longer vouches for it.
        replace(partner, jwks(domains.otherPartnerRoot));
        await until('MTLS_CERT_UNTRUSTED', 'the old root refused both ways');
        await eventually(
          () => !watched().includes('client-ca:spiffe://partner.example:Partner Root'),
          'the old root no longer watched',
        );
        expect(watched()).toEqual(['client-ca:spiffe://partner.example:Partner Root 2']);
        // A bundle that does not parse keeps the working one (logged).
        replace(partner, '{"keys": [');
        await eventually(
          () =>
            app
              .logs()
              .some(
                (l) =>
                  l.event === 'tls.reload_failed' && String(l.error).includes('partner.example'),
              ),
          'the bad bundle refused',
        );
        expect(await both()).toEqual(['MTLS_CERT_UNTRUSTED', 'MTLS_CERT_UNTRUSTED']);
        replace(partner, jwks(domains.partnerRoot, domains.otherPartnerRoot));
        await until(undefined, 'the root back in the bundle, both ways');
      } finally {
        await app.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('the doctor names the trust domain and the bundle it used', () => {
  const doctor = async (certFile: string) => {
    const { output } = await runDoctor(
      [certFile, '--json'],
      {
        HTTP_ADAPTER: 'express',
        PORT: '0',
        HOST: '127.0.0.1',
        ...pkiEnv(pki),
        LOG_LEVEL: 'silent',
        MTLS_SPIFFE_BUNDLES: bundlesEnv(),
      },
      { features: [FixtureRoutesModule] },
    );
    return JSON.parse(output) as DoctorReport;
  };

  it('shows the domain and its bundle file for an accepted identity, and both domains with a fix for a forged one', async () => {
    const good = await doctor(domains.orgBilling.certFile);
    expect(good.code).toBeUndefined();
    expect(good.steps.find((s) => s.check === 'trust-domain')).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`trust domain example.org`) as string,
    });
    expect(good.steps.find((s) => s.check === 'trust-domain')?.detail).toContain(
      domains.bundles.org,
    );
    const forged = await doctor(domains.forged.certFile);
    expect(forged.code).toBe('MTLS_CERT_UNTRUSTED');
    const step = forged.steps.find((s) => s.check === 'trust-domain');
    expect(step).toMatchObject({ ok: false });
    expect(step?.detail).toContain('example.org');
    expect(step?.detail).toContain('partner.example');
    expect(step?.fix).toContain(domains.bundles.org);
  });
});
