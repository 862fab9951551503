import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootCa, issue } from 'nest-mtls-auth/testing';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call, type CallOptions } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki, type PkiFile } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const CALLERS = 24;
const CACHE = 5;

type Caller = PkiFile & { readonly cn: string };

/** Calls `/api/whoami` as each caller, `rounds` times over; the callers answered as someone else. */
async function misanswered(
  app: RunningApp,
  callers: readonly Caller[],
  rounds: number,
  as: (caller: Caller) => CallOptions,
): Promise<string[]> {
  const wrong: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const caller of callers) {
      const res = await call(pki, `${app.url}/api/whoami`, as(caller));
      if (res.status !== 200 || res.body.commonName !== caller.cn) {
        wrong.push(`${caller.cn}: ${res.status} ${String(res.body.commonName ?? res.body.code)}`);
      }
    }
  }
  return wrong;
}

/** The `mtls_caller_cache_entries` gauge of one source. */
async function cachedCallers(app: RunningApp, source: 'tls' | 'forwarded'): Promise<number> {
  const text = String((await call(pki, `${app.url}/metrics`)).body.raw);
  return Number(
    new RegExp(`mtls_caller_cache_entries\\{source="${source}"\\} (\\d+)`).exec(text)?.[1],
  );
}

describe.each(ADAPTERS)('more distinct callers than MTLS_CALLER_CACHE_SIZE on %s', (adapter) => {
  let callers: Caller[];
  let caFile: string;
  beforeAll(async () => {
    // Callers of a CA of their own, issued in the test PKI's folder.
    const root = await createRootCa('cache-ca', 'O=Test, CN=Cache Test CA');
    caFile = pki.write('cache-bundle.crt', root.certPem + readFileSync(pki.caFile, 'utf8'));
    callers = [];
    for (let i = 0; i < CALLERS; i++) {
      const cn = `caller-${i}`;
      const made = await issue(cn, root, { subject: `O=Test, CN=${cn}`, dns: [cn] });
      callers.push({ cn, certPem: made.certPem, keyPem: made.keyPem } as Caller);
    }
  });

  describe('forwarded by a trusted proxy', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        TLS_ENABLED: 'false',
        MTLS_TRUSTED_PROXIES: '127.0.0.1/32',
        MTLS_CA_FILE: caFile,
        MTLS_CALLER_CACHE_SIZE: String(CACHE),
      });
    });
    afterAll(() => app.close());

    it('answers every caller as itself, round after round, with the cache overflowing', async () => {
      const forwarded = (caller: Caller) => ({
        headers: { 'x-ssl-client-cert': encodeURIComponent(caller.certPem) },
      });
      expect(await misanswered(app, callers, 3, forwarded)).toEqual([]);
      expect(await cachedCallers(app, 'forwarded')).toBe(CACHE);
    });
  });

  describe('over direct TLS, a new connection each time', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp(pki, adapter, {
        MTLS_CA_FILE: caFile,
        MTLS_CALLER_CACHE_SIZE: String(CACHE),
      });
    });
    afterAll(() => app.close());

    it('answers every caller as itself with the cache overflowing', async () => {
      expect(await misanswered(app, callers.slice(0, 12), 2, (client) => ({ client }))).toEqual([]);
      // Two generations of at most CACHE / 2 each (see JudgedCertificates).
      const cached = await cachedCallers(app, 'tls');
      expect(cached).toBeLessThanOrEqual(CACHE);
      expect(cached).toBeGreaterThanOrEqual(Math.ceil(CACHE / 2));
    });
  });
});
