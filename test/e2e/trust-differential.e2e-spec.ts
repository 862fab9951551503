import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import {
  useTrustCorpus,
  type CorpusCase,
} from '../../packages/nest-mtls-auth/test/support/trust-corpus.js';

const pki = useTestPki();
const corpus = useTrustCorpus();

/** `openssl verify -purpose sslclient` with the service's bundle and CRLs (as Node's `crl` does). */
function opensslAccepts(c: CorpusCase): { ok: boolean; output: string } {
  const leaf = corpus.write(`${c.name}.crt`, c.certPem);
  const args = ['verify', '-purpose', 'sslclient', '-CAfile', corpus.bundleFile];
  args.push('-crl_check_all', '-CRLfile', corpus.crlFile);
  if (c.presented) args.push('-untrusted', corpus.write(`${c.name}-chain.crt`, c.presented));
  const run = spawnSync('openssl', [...args, leaf], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

const asClient = (certPem: string, keyPem: string) => ({ certPem, keyPem }) as PkiFile;

describe('one trust engine: OpenSSL, the app over direct TLS and through a trusted proxy agree', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, 'express', {
      TLS_CERT_FILE: corpus.serverCertFile,
      TLS_KEY_FILE: corpus.serverKeyFile,
      MTLS_CA_FILE: corpus.bundleFile,
      MTLS_CRL_FILE: corpus.crlFile,
      MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(() => app.close());

  it('accepts and refuses every certificate of the corpus alike, with the same reason code on both app paths', async () => {
    const ca = readFileSync(corpus.bundleFile, 'utf8');
    const rows: string[] = [];
    const disagreements: string[] = [];
    for (const c of corpus.cases) {
      const openssl = opensslAccepts(c);
      const expected = openssl.ok && c.policyAllows;
      const direct = await call(pki, `${app.url}/api/whoami`, {
        ca,
        client: asClient(c.certPem + c.presented, c.keyPem),
      });
      const forwarded = await call(pki, `${app.url}/api/whoami`, {
        ca,
        client: asClient(corpus.proxy.certPem, corpus.proxy.keyPem),
        headers: { 'x-ssl-client-cert': encodeURIComponent(c.certPem) },
      });
      const verdict = (r: typeof direct) =>
        r.status === 200 ? `200 ${String(r.body.source)}` : `${r.status} ${String(r.body.code)}`;
      rows.push(
        `${c.name.padEnd(36)} openssl ${openssl.ok ? 'OK ' : 'ERR'} direct ${verdict(direct)}  forwarded ${verdict(forwarded)}`,
      );
      const ok =
        (direct.status === 200) === expected &&
        (forwarded.status === 200) === expected &&
        direct.body.code === forwarded.body.code &&
        direct.status !== 500 &&
        (direct.status !== 200 || direct.body.source === 'tls') &&
        (forwarded.status !== 200 || forwarded.body.source === 'forwarded');
      if (!ok) disagreements.push(`${rows.at(-1)}\n    openssl: ${openssl.output}`);
    }
    process.stdout.write(
      `trust corpus: ${corpus.cases.length} certificates, each judged by openssl verify, direct TLS and a trusted proxy\n${rows.join('\n')}\n`,
    );
    expect(disagreements).toEqual([]);
    expect(corpus.cases.length).toBeGreaterThanOrEqual(25);
    // The corpus is not one-sided.
    expect(rows.filter((r) => r.includes('200 tls')).length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => !r.includes('200 tls')).length).toBeGreaterThanOrEqual(15);
  });
});
