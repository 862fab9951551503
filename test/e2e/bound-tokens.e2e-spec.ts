import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { MtlsHttpClient, OutboundRequestError } from 'nest-mtls-auth';
import { x5tS256 } from '../../packages/nest-mtls-auth/src/tokens/certificate-thumbprint.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import {
  API_SCOPE,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../support/authorization-server.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const AUDIENCE = 'https://api.test.example';

let as: AuthorizationServer;
/** Each caller's outbound client: its own certificate, verifying servers with the test CA. */
const outbound = new Map<ClientName, MtlsHttpClient>();
/** billing-service's token: tls_client_auth, registered by subject DN. */
let billingToken: string;
/** gateway-service's token: self_signed_tls_client_auth, registered by thumbprint. */
let gatewayToken: string;

const clientOf = (name: ClientName): MtlsHttpClient => {
  let client = outbound.get(name);
  if (!client) {
    const { certPem, keyPem } = pki.clients[name];
    client = new MtlsHttpClient({ cert: certPem, key: keyPem, ca: readFileSync(pki.caFile) });
    outbound.set(name, client);
  }
  return client;
};
const tokenOf = (name: ClientName, clientId: string) =>
  clientOf(name).boundToken({ tokenUrl: as.tokenUrl, clientId, scope: API_SCOPE });

beforeAll(async () => {
  as = await startAuthorizationServer(
    pki,
    [
      { clientId: 'billing-service', subjectDn: 'CN=billing-service,OU=services,O=Test' },
      { clientId: 'gateway-service', certificate: pki.clients.gateway },
    ],
    AUDIENCE,
  );
  billingToken = await tokenOf('billing', 'billing-service');
  gatewayToken = await tokenOf('gateway', 'gateway-service');
});
afterAll(async () => {
  await Promise.all([...outbound.values()].map((c) => c.close()));
  await as?.close();
});

describe('oidc-provider issues certificate-bound tokens (RFC 8705) to the outbound client', () => {
  it("binds billing-service's token to its certificate (tls_client_auth by subject DN)", () => {
    const claims = JSON.parse(
      Buffer.from(billingToken.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: as.issuer,
      aud: AUDIENCE,
      client_id: 'billing-service',
      cnf: { 'x5t#S256': x5tS256(pki.clients.billing.x509.fingerprint256) },
    });
  });

  it("binds gateway-service's token to its certificate (self_signed_tls_client_auth by thumbprint)", () => {
    const claims = JSON.parse(
      Buffer.from(gatewayToken.split('.')[1] ?? '', 'base64url').toString(),
    ) as { cnf?: Record<string, string> };
    expect(claims.cnf?.['x5t#S256']).toBe(x5tS256(pki.clients.gateway.x509.fingerprint256));
  });

  it('refuses a client whose certificate matches neither its DN nor its thumbprint', async () => {
    const error = await tokenOf('notification', 'billing-service').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRequestError);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', details: { status: 401 } });
    expect(await tokenOf('billing', 'gateway-service').catch((e: unknown) => e)).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      details: { downstreamCode: 'invalid_client' },
    });
  });

  it('holds a token until shortly before it expires', async () => {
    expect(await tokenOf('billing', 'billing-service')).toBe(billingToken);
  });
});

describe.each(ADAPTERS)('@RequireBoundToken() against oidc-provider on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter, {
      MTLS_BOUND_TOKEN_ISSUER: as.issuer,
      MTLS_BOUND_TOKEN_AUDIENCE: AUDIENCE,
      MTLS_BOUND_TOKEN_JWKS_URL: as.jwksUrl,
      // The authorization server's certificate is issued by the test CA (OUTBOUND_CA_FILE).
      MTLS_TRUSTED_PROXY_IDENTITIES: 'nginx-proxy',
    });
  });
  afterAll(() => app.close());

  const direct = (name: ClientName, token?: string) =>
    call(pki, `${app.url}/api/bound`, {
      client: pki.clients[name],
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  /** Through the trusted proxy: the caller's certificate in the header, as nginx sends it. */
  const forwarded = (name: ClientName, token?: string) =>
    call(pki, `${app.url}/api/bound`, {
      client: pki.clients.proxy,
      headers: {
        'x-ssl-client-cert': encodeURIComponent(pki.clients[name].certPem),
        'x-ssl-client-verify': 'SUCCESS',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });

  it("serves billing-service's token with billing-service's certificate, directly and forwarded", async () => {
    const res = await direct('billing', billingToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ servedTo: 'billing-service', source: 'tls' });
    const via = await forwarded('billing', billingToken);
    expect(via.status).toBe(200);
    expect(via.body).toEqual({ servedTo: 'billing-service', source: 'forwarded' });
  });

  it("refuses billing-service's token with gateway-service's certificate: 401 MTLS_TOKEN_NOT_BOUND", async () => {
    for (const res of [
      await direct('gateway', billingToken),
      await forwarded('gateway', billingToken),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_TOKEN_NOT_BOUND');
      expect(res.headers['www-authenticate']).toMatch(
        /^Bearer realm="https:\/\/api\.test\.example", error="invalid_token", error_description="the token is bound to another certificate/,
      );
    }
  });

  it("serves gateway-service's own token (registered by thumbprint) and refuses it to billing-service", async () => {
    expect((await direct('gateway', gatewayToken)).status).toBe(200);
    expect((await forwarded('gateway', gatewayToken)).status).toBe(200);
    expect((await direct('billing', gatewayToken)).body.code).toBe('MTLS_TOKEN_NOT_BOUND');
  });

  it('answers 401 MTLS_TOKEN_MISSING with a bare Bearer challenge when no token is sent', async () => {
    const res = await direct('billing');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('MTLS_TOKEN_MISSING');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="https://api.test.example"');
  });

  it('answers 401 MTLS_TOKEN_INVALID for a forged, altered or foreign token, never a 500', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      client_id: 'billing-service',
      cnf: { 'x5t#S256': x5tS256(pki.clients.billing.x509.fingerprint256) },
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-1' })
      .setIssuer(as.issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    const [h, p, s] = billingToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...claims, aud: 'x' })).toString('base64url')}.${s}`;
    for (const token of [forged, altered, 'not-a-jwt', `${billingToken}x`]) {
      const res = await direct('billing', token);
      expect(res.status, token.slice(0, 20)).toBe(401);
      expect(res.body.code).toBe('MTLS_TOKEN_INVALID');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
    const basic = await call(pki, `${app.url}/api/bound`, {
      client: pki.clients.billing,
      headers: { authorization: 'Basic YTpi' },
    });
    expect(basic.body.code).toBe('MTLS_TOKEN_INVALID');
  });

  it('still needs the certificate: a token without one is 401 MTLS_CERT_MISSING', async () => {
    const res = await call(pki, `${app.url}/api/bound`, {
      headers: { authorization: `Bearer ${billingToken}` },
    });
    expect(res.body.code).toBe('MTLS_CERT_MISSING');
  });

  it('lets the outbound client obtain and send the bound token itself', async () => {
    const res = await clientOf('billing').request<{ servedTo: string }>(
      'GET',
      `${app.url.replace('127.0.0.1', 'localhost')}/api/bound`,
      undefined,
      { boundToken: { tokenUrl: as.tokenUrl, clientId: 'billing-service', scope: API_SCOPE } },
    );
    expect(res.status).toBe(200);
    expect(res.body.servedTo).toBe('billing-service');
  });
});

describe.each(ADAPTERS)('a JWKS the service cannot verify on %s', (adapter) => {
  it('refuses every token with 401 MTLS_TOKEN_INVALID when the JWKS server is not trusted', async () => {
    const app = await startApp(pki, adapter, {
      MTLS_BOUND_TOKEN_ISSUER: as.issuer,
      MTLS_BOUND_TOKEN_AUDIENCE: AUDIENCE,
      MTLS_BOUND_TOKEN_JWKS_URL: as.jwksUrl,
      OUTBOUND_CA_FILE: pki.rogueCaFile,
    });
    try {
      const res = await call(pki, `${app.url}/api/bound`, {
        client: pki.clients.billing,
        headers: { authorization: `Bearer ${billingToken}` },
      });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('MTLS_TOKEN_INVALID');
      const line = app.logs().findLast((l) => l.code === 'MTLS_TOKEN_INVALID');
      expect(String(line?.detail)).toMatch(/JWKS could not be fetched/);
    } finally {
      await app.close();
    }
  });
});
