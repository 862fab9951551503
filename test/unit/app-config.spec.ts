import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadAppConfig } from '../../src/config/app-config.js';
import { ConfigurationError } from '../../src/config/configuration.error.js';
import { parseEnvList } from '../../src/config/env-list.js';
import { envSchema } from '../../src/config/env.schema.js';
import { readConfigFile } from '../../src/config/read-config-file.js';
import { buildServerTlsOptions } from '../../src/tls/server-tls-options.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
};

describe('loadAppConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadAppConfig({});
    expect(config.server).toMatchObject({ port: 8443, host: '0.0.0.0', adapter: 'express' });
    expect(config.tls).toMatchObject({
      enabled: true,
      clientCertMode: 'allow',
      caFile: 'certs/dev/ca.crt',
    });
    expect(config.mtls.settings).toMatchObject({
      allowedCertificateTypes: 'chained',
      allowedServices: [],
      certificateHeader: 'x-ssl-client-cert',
    });
  });

  it('names the variable, the value and the fix for a bad enum', () => {
    const message = errorOf(() => loadAppConfig({ MTLS_CLIENT_CERT_MODE: 'sometimes' }));
    expect(message).toContain('MTLS_CLIENT_CERT_MODE="sometimes"');
    expect(message).toContain('must be none, allow or require');
    expect(message).toContain('Fix:');
  });

  it('reports every invalid variable at once', () => {
    const message = errorOf(() =>
      loadAppConfig({ PORT: 'eighty', HTTP_ADAPTER: 'koa', TLS_ENABLED: 'maybe' }),
    );
    expect(message).toMatch(/PORT="eighty"/);
    expect(message).toMatch(/HTTP_ADAPTER="koa"/);
    expect(message).toMatch(/TLS_ENABLED="maybe"/);
  });

  it('sizes the caller cache from MTLS_CALLER_CACHE_SIZE, 10,000 by default, within bounds', () => {
    expect(loadAppConfig({}).mtls.settings.callerCacheSize).toBe(10_000);
    expect(loadAppConfig({ MTLS_CALLER_CACHE_SIZE: '50000' }).mtls.settings.callerCacheSize).toBe(
      50_000,
    );
    for (const bad of ['0', '-5', '1.5', 'lots', '2000000']) {
      expect(errorOf(() => loadAppConfig({ MTLS_CALLER_CACHE_SIZE: bad }))).toContain(
        `MTLS_CALLER_CACHE_SIZE="${bad}"`,
      );
    }
  });

  it('serves /metrics on the main port only without MANAGEMENT_PORT outside production, unless METRICS_ON_MAIN_PORT says', () => {
    const onMain = (env: Record<string, string>) => loadAppConfig(env).server.metricsOnMainPort;
    expect(onMain({})).toBe(true);
    expect(onMain({ NODE_ENV: 'development' })).toBe(true);
    expect(onMain({ NODE_ENV: 'production' })).toBe(false);
    expect(onMain({ MANAGEMENT_PORT: '9000' })).toBe(false);
    expect(onMain({ NODE_ENV: 'production', METRICS_ON_MAIN_PORT: 'true' })).toBe(true);
    expect(onMain({ MANAGEMENT_PORT: '9000', METRICS_ON_MAIN_PORT: 'true' })).toBe(true);
    expect(onMain({ METRICS_ON_MAIN_PORT: 'false' })).toBe(false);
    const message = errorOf(() => loadAppConfig({ METRICS_ON_MAIN_PORT: 'sometimes' }));
    expect(message).toContain('METRICS_ON_MAIN_PORT="sometimes": must be true or false');
    expect(message).toContain('Fix: set METRICS_ON_MAIN_PORT=true');
  });

  it('takes OPENAPI_SERVER_URL as an http(s) URL without its trailing slash, and refuses anything else', () => {
    expect(loadAppConfig({}).server.openApiServerUrl).toBeUndefined();
    expect(
      loadAppConfig({ OPENAPI_SERVER_URL: 'https://billing.internal.example/v1/' }).server
        .openApiServerUrl,
    ).toBe('https://billing.internal.example/v1');
    for (const bad of ['billing.internal.example', 'ftp://billing.internal.example']) {
      expect(errorOf(() => loadAppConfig({ OPENAPI_SERVER_URL: bad }))).toContain(
        `OPENAPI_SERVER_URL="${bad}": must be an http:// or https:// URL. Fix: set the URL callers use`,
      );
    }
  });

  it('logs no request context unless LOG_REQUESTS is set', () => {
    expect(loadAppConfig({}).server.logRequests).toBe(false);
    expect(loadAppConfig({ LOG_REQUESTS: 'true' }).server.logRequests).toBe(true);
    expect(errorOf(() => loadAppConfig({ LOG_REQUESTS: 'sometimes' }))).toContain('LOG_REQUESTS');
  });

  it('refuses a proxy range that trusts every address', () => {
    for (const cidr of ['0.0.0.0/0', '::/0', '10.0.0.0/8,0.0.0.0/0']) {
      const message = errorOf(() => loadAppConfig({ MTLS_TRUSTED_PROXIES: cidr }));
      expect(message).toContain('MTLS_TRUSTED_PROXIES');
      expect(message).toContain('trusts every peer');
    }
  });

  it('refuses proxy ranges that together trust more than a /8 of IPv4, naming the variable and the fix', () => {
    for (const cidrs of ['::ffff:0:0/96', '0.0.0.0/1,128.0.0.0/1', '::/1,8000::/1']) {
      const message = errorOf(() => loadAppConfig({ MTLS_TRUSTED_PROXIES: cidrs }));
      expect(message).toContain(`MTLS_TRUSTED_PROXIES="${cidrs}": together they trust 2^32 IPv4`);
      expect(message).toContain("Fix: give the proxies' own addresses");
      expect(message).toContain('MTLS_TRUSTED_PROXY_IDENTITIES');
    }
    expect(
      loadAppConfig({ MTLS_TRUSTED_PROXIES: '10.0.0.0/8' }).mtls.settings.trustedProxies,
    ).toEqual(['10.0.0.0/8']);
  });

  it('refuses header names that are not HTTP tokens, and one header for both jobs', () => {
    expect(errorOf(() => loadAppConfig({ MTLS_CERT_HEADER: 'x ssl cert' }))).toContain(
      'MTLS_CERT_HEADER="x ssl cert": "x ssl cert" is not an HTTP header name',
    );
    expect(errorOf(() => loadAppConfig({ MTLS_VERIFY_HEADER: 'verdict:' }))).toContain(
      'MTLS_VERIFY_HEADER',
    );
    expect(
      errorOf(() =>
        loadAppConfig({ MTLS_CERT_HEADER: 'X-Client-Cert', MTLS_VERIFY_HEADER: 'x-client-cert' }),
      ),
    ).toContain('must differ from the certificate header');
    expect(
      loadAppConfig({ MTLS_CERT_HEADER: 'X-ARR-ClientCert' }).mtls.settings.certificateHeader,
    ).toBe('x-arr-clientcert');
  });

  it('takes proxy identities, and refuses them where no proxy could present a certificate', () => {
    expect(
      loadAppConfig({ MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy' }).mtls.settings
        .trustedProxyIdentities,
    ).toEqual(['nginx-proxy']);
    expect(
      errorOf(() => loadAppConfig({ MTLS_TRUSTED_PROXY_IDENTITIES: 'a*b.example' })),
    ).toContain('MTLS_TRUSTED_PROXY_IDENTITIES="a*b.example"');
    for (const env of [{ TLS_ENABLED: 'false' }, { MTLS_CLIENT_CERT_MODE: 'none' }]) {
      const message = errorOf(() =>
        loadAppConfig({ ...env, MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy' }),
      );
      expect(message).toContain('MTLS_TRUSTED_PROXY_IDENTITIES');
      expect(message).toContain('client certificate over TLS');
    }
  });

  it('sets a proxy in one variable, MTLS_PROXY_PRESET, which explicit variables override', () => {
    expect(loadAppConfig({ MTLS_PROXY_PRESET: 'haproxy' }).mtls.settings).toMatchObject({
      proxyPreset: 'haproxy',
      certificateHeader: 'x-ssl-client-cert',
      certificateHeaderFormat: 'base64-der',
      certificateChainHeader: 'x-ssl-client-cert-chain',
      verifySuccessValues: ['0'],
    });
    expect(
      loadAppConfig({
        MTLS_PROXY_PRESET: 'gcp',
        MTLS_CERT_CHAIN_HEADER: 'X-Chain',
        MTLS_VERIFY_SUCCESS: 'TRUE,yes',
      }).mtls.settings,
    ).toMatchObject({
      certificateHeader: 'x-client-cert-leaf',
      certificateChainHeader: 'x-chain',
      verifySuccessValues: ['TRUE', 'yes'],
    });
    const message = errorOf(() => loadAppConfig({ MTLS_PROXY_PRESET: 'nginx-plus' }));
    expect(message).toContain('MTLS_PROXY_PRESET="nginx-plus"');
    expect(message).toContain('aws-alb-passthrough');
  });

  it('reads MTLS_SPIFFE_BUNDLES as a JSON object of trust domains and files, and names it when it is not', () => {
    const files = { 'example.org': '/spiffe/org.pem', 'partner.example': '/spiffe/partner.jwks' };
    const config = loadAppConfig({ MTLS_SPIFFE_BUNDLES: JSON.stringify(files) });
    expect(config.mtls.spiffeBundleFiles).toEqual(files);
    expect(config.tls.spiffeBundleFiles).toEqual(files);
    for (const bad of ['example.org=/a.pem', '["/a.pem"]', '{"example.org": 1}', '{"x": ""}']) {
      const message = errorOf(() => loadAppConfig({ MTLS_SPIFFE_BUNDLES: bad }));
      expect(message, bad).toContain('MTLS_SPIFFE_BUNDLES=');
      expect(message, bad).toContain('trust domain');
    }
  });

  it('stops start-up for a SPIFFE bundle that does not load, naming the variable and the domain', () => {
    const bad = pki.write('bad-bundle.jwks', '{"keys": []}');
    const message = errorOf(() =>
      buildServerTlsOptions({
        ...loadAppConfig({}).tls,
        certFile: pki.server.certFile,
        keyFile: pki.server.keyFile,
        caFile: pki.caFile,
        spiffeBundleFiles: { 'example.org': bad },
      }),
    );
    expect(message).toContain('MTLS_SPIFFE_BUNDLES=');
    expect(message).toContain('the bundle of "example.org" holds no X.509 CA');
    expect(
      errorOf(() =>
        buildServerTlsOptions({
          ...loadAppConfig({}).tls,
          certFile: pki.server.certFile,
          keyFile: pki.server.keyFile,
          caFile: pki.caFile,
          spiffeBundleFiles: { 'example.org': '/nonexistent.pem' },
        }),
      ),
    ).toContain('MTLS_SPIFFE_BUNDLES["example.org"]=/nonexistent.pem: cannot read the file');
  });

  it('refuses a bad identity pattern, a bad pin and a bad proxy CIDR', () => {
    expect(errorOf(() => loadAppConfig({ MTLS_ALLOWED_SERVICES: 'a*b.example' }))).toContain(
      'MTLS_ALLOWED_SERVICES',
    );
    expect(errorOf(() => loadAppConfig({ MTLS_ALLOWED_FINGERPRINTS: 'abc123' }))).toContain(
      'MTLS_ALLOWED_FINGERPRINTS',
    );
    expect(errorOf(() => loadAppConfig({ MTLS_TRUSTED_PROXIES: '10.0.0.0/33' }))).toContain(
      'MTLS_TRUSTED_PROXIES',
    );
  });

  it('refuses self-signed certificate types with require mode, which could never accept them', () => {
    expect(
      errorOf(() =>
        loadAppConfig({ MTLS_CLIENT_CERT_MODE: 'require', MTLS_ALLOWED_CERT_TYPES: 'all' }),
      ),
    ).toContain('MTLS_ALLOWED_CERT_TYPES');
  });

  it('refuses TLS_ENABLED=false without trusted proxies, since nothing could authenticate', () => {
    expect(errorOf(() => loadAppConfig({ TLS_ENABLED: 'false' }))).toContain(
      'MTLS_TRUSTED_PROXIES',
    );
    expect(
      loadAppConfig({ TLS_ENABLED: 'false', MTLS_TRUSTED_PROXIES: '10.0.0.0/8' }).tls.enabled,
    ).toBe(false);
  });

  it('reads dn: patterns from a JSON list', () => {
    const config = loadAppConfig({
      MTLS_ALLOWED_SERVICES: '["billing-service","dn:CN=client,OU=production,O=company"]',
    });
    expect(config.mtls.settings.allowedServices).toEqual([
      'billing-service',
      'dn:CN=client,OU=production,O=company',
    ]);
  });
});

describe('parseEnvList', () => {
  it('splits commas, trims, drops empties', () => {
    expect(parseEnvList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseEnvList(undefined)).toEqual([]);
  });
  it('rejects a malformed JSON list', () => {
    expect(() => parseEnvList('["a",')).toThrow(/JSON/);
    expect(() => parseEnvList('[1,2]')).toThrow(/strings/);
  });
});

describe('configuration files', () => {
  it('names a missing file by variable and path', () => {
    expect(errorOf(() => readConfigFile('TLS_CERT_FILE', '/nonexistent.crt'))).toMatch(
      /TLS_CERT_FILE=\/nonexistent\.crt: cannot read the file \(no such file\)/,
    );
  });

  it('refuses a CRL file that leaves a CA of the bundle without a CRL, naming it', () => {
    const tls = {
      ...loadAppConfig({}).tls,
      certFile: pki.server.certFile,
      keyFile: pki.server.keyFile,
      caFile: pki.bundleFile,
      crlFile: pki.crlFile,
    };
    const message = errorOf(() => buildServerTlsOptions(tls));
    expect(message).toContain(`MTLS_CRL_FILE=${pki.crlFile}: no CRL from`);
    expect(message).toContain('Test Intermediate CA');
    expect(() => buildServerTlsOptions({ ...tls, caFile: pki.caFile })).not.toThrow();
  });

  it('refuses a server certificate that is expired, is not for servers, is a CA, or does not match its key', () => {
    const tls = { ...loadAppConfig({}).tls, caFile: pki.caFile, keyFile: pki.server.keyFile };
    const expired = { ...tls, certFile: pki.clients.expired.certFile };
    expect(errorOf(() => buildServerTlsOptions(expired))).toMatch(
      /TLS_CERT_FILE=.*: the server certificate expired on/,
    );
    const client = { ...tls, certFile: pki.clients.billing.certFile };
    expect(errorOf(() => buildServerTlsOptions(client))).toContain('lacks serverAuth');
    // The root CA with its own key: a working pair, with no extended key usage to object to.
    const ca = { ...tls, certFile: pki.caFile, keyFile: pki.caKeyFile };
    expect(errorOf(() => buildServerTlsOptions(ca))).toMatch(
      /^TLS_CERT_FILE=.*: the first certificate is a CA certificate \(basicConstraints CA:TRUE\), "O=Test, CN=Test Root CA", not a server certificate/,
    );
    const mismatch = {
      ...tls,
      certFile: pki.server.certFile,
      keyFile: pki.clients.billing.keyFile,
    };
    expect(errorOf(() => buildServerTlsOptions(mismatch))).toContain(
      'Check that the certificate matches the key',
    );
    expect(() => buildServerTlsOptions({ ...tls, certFile: pki.server.certFile })).not.toThrow();
  });

  it('offers only forward-secret AEAD suites in TLS 1.2 (no CBC)', () => {
    const tls = { ...loadAppConfig({}).tls, caFile: pki.caFile };
    const options = buildServerTlsOptions({
      ...tls,
      certFile: pki.server.certFile,
      keyFile: pki.server.keyFile,
    });
    const tls12 = (options.ciphers ?? '').split(':').filter((c) => !c.startsWith('TLS_'));
    expect(tls12.length).toBeGreaterThan(5);
    for (const suite of tls12) expect(suite).toMatch(/^(ECDHE|DHE)-.*(GCM|CHACHA20)/);
  });

  it('refuses a CA file without certificates', () => {
    const message = errorOf(() =>
      buildServerTlsOptions({
        ...loadAppConfig({}).tls,
        certFile: 'package.json',
        keyFile: 'package.json',
        caFile: 'package.json',
      }),
    );
    expect(message).toContain('MTLS_CA_FILE=package.json: holds no PEM certificate');
  });
});

describe('MTLS_ACCESS_FILE', () => {
  it('reads allowlist and pins, and refuses bad JSON, unknown keys and bad patterns', async () => {
    const { parseAccessFile } = await import('../../src/config/access-file.js');
    expect(parseAccessFile('{"allowedServices":["billing-service"]}')).toEqual({
      allowedServices: ['billing-service'],
      allowedFingerprints: [],
    });
    expect(() => parseAccessFile('{')).toThrow(/JSON/);
    expect(() => parseAccessFile('{"allowedService":[]}')).toThrow(/allowedServices/);
    expect(() => parseAccessFile('{"allowedServices":["a*b"]}')).toThrow(
      /identity pattern|wildcard/,
    );
    expect(() => parseAccessFile('{"allowedFingerprints":["xyz"]}')).toThrow(/fingerprint/);
  });

  it('cannot be combined with the list variables', () => {
    expect(
      errorOf(() => loadAppConfig({ MTLS_ACCESS_FILE: 'a.json', MTLS_ALLOWED_SERVICES: 'x' })),
    ).toContain('MTLS_ACCESS_FILE');
  });
});

describe('.env.example', () => {
  it('names every variable the configuration reads', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const named = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = Object.keys(envSchema.entries).filter(
      (name) => name !== 'NODE_ENV' && !named.has(name),
    );
    expect(missing).toEqual([]);
  });
});
