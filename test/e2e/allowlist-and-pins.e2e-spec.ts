import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeFingerprint } from '../../packages/nest-mtls-auth/src/x509/fingerprint-pins.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
  type PkiFile,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

/** Certificates whose names only look like allowed ones, issued by the trusted root. */
const lookAlikes = {} as Record<'kafka' | 'kelvin' | 'prod' | 'dotDot' | 'twoUris', PkiFile>;
beforeAll(async () => {
  const prodId = 'spiffe://example.org/ns/prod/sa/x';
  Object.assign(lookAlikes, {
    kafka: await pki.issueClient('kafka', { subject: 'O=Test, CN=kafka-service' }),
    // U+212A KELVIN SIGN, which String.prototype.toLowerCase folds to "k".
    kelvin: await pki.issueClient('kelvin', { subject: 'O=Test, CN=\u212Aafka-service' }),
    prod: await pki.issueClient('prod', { subject: 'O=Test, CN=prod', uris: [prodId] }),
    dotDot: await pki.issueClient('dotDot', {
      subject: 'O=Test, CN=dot-dot',
      uris: ['spiffe://example.org/ns/prod/../admin/sa/x'],
    }),
    twoUris: await pki.issueClient('twoUris', {
      subject: 'O=Test, CN=two-uris',
      uris: [prodId, 'https://example.org/x'],
    }),
  });
});

describe.each(ADAPTERS)('allowlists, pins and certificate types on %s', (adapter) => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const start = async (env: Record<string, string>) => {
    app = await startApp(pki, adapter, env);
    return app;
  };
  const status = async (client: ClientName, path = '/api/data') => {
    const res = await call(pki, `${app?.url}${path}`, { client: pki.clients[client] });
    return `${res.status} ${res.body.code ?? 'ok'}`;
  };

  it('applies MTLS_ALLOWED_SERVICES with names and SPIFFE path wildcards', async () => {
    await start({ MTLS_ALLOWED_SERVICES: 'gateway-service,spiffe://example.test/ns/prod/*' });
    expect(await status('billing')).toBe('200 ok'); // by SPIFFE ID
    expect(await status('gateway')).toBe('200 ok'); // by CN
    expect(await status('notification')).toBe('403 MTLS_SERVICE_FORBIDDEN'); // ns/staging
  });

  it('matches exactly one leftmost label with *.internal.production', async () => {
    await start({ MTLS_ALLOWED_SERVICES: '*.internal.production' });
    expect(await status('wildcardOne')).toBe('200 ok'); // api.internal.production
    expect(await status('wildcardTwo')).toBe('403 MTLS_SERVICE_FORBIDDEN'); // a.b.internal.production
    expect(await status('wildcardSan')).toBe('403 MTLS_SERVICE_FORBIDDEN'); // SAN "*.internal.production"
    expect(await status('billing')).toBe('403 MTLS_SERVICE_FORBIDDEN');
  });

  it('matches a whole subject DN written as a JSON list, in any attribute order', async () => {
    await start({ MTLS_ALLOWED_SERVICES: '["dn:O=Test,CN=gateway-service,OU=services"]' });
    expect(await status('gateway')).toBe('200 ok');
    expect(await status('billing')).toBe('403 MTLS_SERVICE_FORBIDDEN');
  });

  it('combines the service-wide allowlist with @AllowServices on /api/invoices', async () => {
    await start({ MTLS_ALLOWED_SERVICES: 'billing-service,notification-service' });
    expect(await status('billing', '/api/invoices')).toBe('200 ok');
    expect(await status('notification', '/api/invoices')).toBe('403 MTLS_SERVICE_FORBIDDEN');
    expect(await status('gateway', '/api/data')).toBe('403 MTLS_SERVICE_FORBIDDEN');
  });

  it('accepts only pinned certificates when pins are set, by SHA-256 or SHA-1, with or without colons', async () => {
    const sha256 = pki.clients.gateway.x509.fingerprint256; // colon form, upper case
    const sha1 = normalizeFingerprint(pki.clients.notification.x509.fingerprint);
    await start({ MTLS_ALLOWED_FINGERPRINTS: `${sha256},${sha1}` });
    expect(await status('gateway')).toBe('200 ok');
    expect(await status('notification')).toBe('200 ok');
    expect(await status('billing')).toBe('403 MTLS_FINGERPRINT_FORBIDDEN');
    // Pinning never rescues an invalid certificate: trust and validity are judged first.
    expect(await status('expired')).toBe('401 MTLS_CERT_EXPIRED');
  });

  it('accepts a pinned self-signed certificate only when the types allow it', async () => {
    const pin = pki.clients.selfSigned.x509.fingerprint256;
    await start({
      MTLS_ALLOWED_CERT_TYPES: 'all',
      MTLS_ALLOWED_FINGERPRINTS: `${pin},${pki.clients.billing.x509.fingerprint256}`,
    });
    expect(await status('selfSigned')).toBe('200 ok');
    expect(await status('billing')).toBe('200 ok');
    await app?.close();
    await start({ MTLS_ALLOWED_CERT_TYPES: 'chained', MTLS_ALLOWED_FINGERPRINTS: pin });
    expect(await status('selfSigned')).toBe('401 MTLS_CERT_UNTRUSTED');
  });

  it('refuses an unpinned self-signed certificate even when self-signed certificates are allowed', async () => {
    await start({
      MTLS_ALLOWED_CERT_TYPES: 'self-signed',
      MTLS_ALLOWED_FINGERPRINTS: pki.clients.gateway.x509.fingerprint256,
    });
    expect(await status('selfSigned')).toBe('401 MTLS_CERT_UNTRUSTED');
    // self-signed only: CA-issued certificates are not of an allowed type
    expect(await status('gateway')).toBe('401 MTLS_CERT_UNTRUSTED');
  });

  it('refuses a CN that only looks like kafka-service, and a SPIFFE ID that climbs out of ns/prod', async () => {
    await start({});
    const get = async (client: PkiFile, path: string) => {
      const res = await call(pki, `${app?.url}${path}`, { client });
      return { status: `${res.status} ${res.body.code ?? 'ok'}`, body: res.body };
    };
    // @AllowServices('kafka-service')
    expect((await get(lookAlikes.kafka, '/api/kafka')).status).toBe('200 ok');
    expect((await get(lookAlikes.kelvin, '/api/kafka')).status).toBe('403 MTLS_SERVICE_FORBIDDEN');
    // @AllowServices('spiffe://example.org/ns/prod/*')
    const prod = await get(lookAlikes.prod, '/api/whoami');
    expect(prod.body.spiffeId).toBe('spiffe://example.org/ns/prod/sa/x');
    expect((await get(lookAlikes.prod, '/api/prod')).status).toBe('200 ok');
    const dotDot = await get(lookAlikes.dotDot, '/api/whoami');
    expect(dotDot.status).toBe('200 ok');
    expect(dotDot.body.uris).toEqual(['spiffe://example.org/ns/prod/../admin/sa/x']);
    expect(dotDot.body.spiffeId).toBeNull();
    expect((await get(lookAlikes.dotDot, '/api/prod')).status).toBe('403 MTLS_SERVICE_FORBIDDEN');
    // Two URI SANs: not an X.509-SVID, so no SPIFFE ID, whichever URI looks like one.
    expect((await get(lookAlikes.twoUris, '/api/whoami')).body.spiffeId).toBeNull();
    expect((await get(lookAlikes.twoUris, '/api/prod')).status).toBe('403 MTLS_SERVICE_FORBIDDEN');
  });

  it('trusts a certificate issued by an intermediate when the bundle holds the intermediate', async () => {
    await start({ MTLS_CA_FILE: pki.bundleFile });
    const res = await call(pki, `${app?.url}/api/whoami`, { client: pki.clients.viaIntermediate });
    expect(`${res.status} ${res.body.code ?? 'ok'}`).toBe('200 ok');
    expect(res.body.issuer).toBe('CN=Test Intermediate CA,O=Test');
  });
});
