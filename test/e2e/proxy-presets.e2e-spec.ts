import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_PRESET_NAMES } from '../../packages/nest-mtls-auth/src/options/mtls-auth-options.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  PROXY_SAMPLES,
  type ForwardedCaller,
  type ProxySample,
} from '../../packages/nest-mtls-auth/test/support/proxy-samples.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

/** The environment variable of each option a sample overrides. */
const VARIABLE = {
  certificateHeader: 'MTLS_CERT_HEADER',
  certificateHeaderFormat: 'MTLS_CERT_HEADER_FORMAT',
};

/**
 * The good caller of a sample: one whose intermediate is not in MTLS_CA_FILE when the proxy
 * forwards the chain (so the chain is what makes it trusted), else one the root issued.
 */
function goodCaller(sample: ProxySample): ForwardedCaller {
  if (!sample.carriesChain) return { leaf: pki.clients.billing.x509, chain: [] };
  const intermediate = new X509Certificate(
    readFileSync(pki.bundleFile, 'utf8').split(/(?<=-----END CERTIFICATE-----)/)[0]!,
  );
  return { leaf: pki.clients.viaIntermediate.x509, chain: [intermediate] };
}

/** Samples grouped by the service configuration they need (a preset, and its overrides). */
const groups = new Map<string, ProxySample[]>();
for (const sample of PROXY_SAMPLES) {
  const key = JSON.stringify([sample.preset, sample.overrides ?? {}]);
  groups.set(key, [...(groups.get(key) ?? []), sample]);
}

it('has samples of every preset', () => {
  expect(new Set(PROXY_SAMPLES.map((s) => s.preset))).toEqual(new Set(PROXY_PRESET_NAMES));
  for (const sample of PROXY_SAMPLES) expect(sample.sources.length, sample.name).toBeGreaterThan(0);
});

describe.each(ADAPTERS)(
  "each proxy's documented headers, decoded by its preset on %s",
  (adapter) => {
    describe.each([...groups.entries()])('%s', (_key, samples) => {
      const { preset, overrides = {} } = samples[0]!;
      let app: RunningApp;
      beforeAll(async () => {
        app = await startApp(pki, adapter, {
          TLS_ENABLED: 'false',
          MTLS_TRUSTED_PROXIES: '127.0.0.1/32,::1',
          MTLS_PROXY_PRESET: preset,
          ...Object.fromEntries(
            Object.entries(overrides).map(([option, value]) => [
              VARIABLE[option as keyof typeof VARIABLE],
              value,
            ]),
          ),
        });
      });
      afterAll(() => app?.close());
      const send = (headers: Record<string, string>) =>
        call(pki, `${app.url}/api/whoami`, { headers });

      it.each(samples)('$name', async (sample) => {
        const caller = goodCaller(sample);
        const res = await send(sample.headers(caller));
        if (sample.answers !== undefined) {
          expect(res.status).toBe(401);
          expect(res.body.code).toBe(sample.answers);
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({
          commonName: 'billing-service',
          fingerprint256: caller.leaf.fingerprint256,
          source: 'forwarded',
        });
        if (sample.carriesChain) {
          // The same caller forwarded without its chain: its intermediate is not in MTLS_CA_FILE.
          const alone = await send(sample.headers({ leaf: caller.leaf, chain: [] }));
          expect(alone.body.code).toBe('MTLS_CERT_UNTRUSTED');
        }
      });

      const refusals = samples.flatMap((s) => (s.refusals ?? []).map((r) => ({ ...r, sample: s })));
      it.skipIf(refusals.length === 0).each(refusals)(
        'refuses $name with $code',
        async (refusal) => {
          const caller =
            refusal.caller === 'none'
              ? undefined
              : refusal.caller === 'expired'
                ? { leaf: pki.clients.expired.x509, chain: [] }
                : goodCaller(refusal.sample);
          const res = await send(refusal.headers(caller));
          expect(res.status).toBe(401);
          expect(res.body.code).toBe(refusal.code);
        },
      );
    });
  },
);
