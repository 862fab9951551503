import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { BoundTokenVerifier } from '../../src/tokens/bound-token-verifier.js';
import { bearerToken } from '../../src/tokens/bearer-token.js';
import { bearerChallenge } from '../../src/tokens/www-authenticate.js';
import { fingerprintOfX5t, x5tS256 } from '../../src/tokens/certificate-thumbprint.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'https://api.test';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string };
const keyPair = async (kid: string): Promise<KeyPair> => ({
  ...(await generateKeyPair('ES256', { extractable: true })),
  kid,
});

/** A JWKS server over HTTPS (the test PKI's localhost certificate) serving `published`. */
let server: Server;
let jwksUrl: string;
let published: JWK[] = [];
let fetches = 0;

beforeAll(async () => {
  server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `https://localhost:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const publish = async (...keys: KeyPair[]) => {
  published = await Promise.all(
    keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: 'ES256' })),
  );
};
const token = (
  key: KeyPair,
  fingerprint256: string,
  claims: Record<string, unknown> = {},
  expires: string | number = '5m',
) =>
  new SignJWT({ cnf: { 'x5t#S256': x5tS256(fingerprint256) }, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('billing-service')
    .setExpirationTime(expires)
    .sign(key.privateKey);

describe('BoundTokenVerifier', () => {
  const verifier = () =>
    new BoundTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl,
      jwksCa: readFileSync(pki.caFile),
      jwksCooldownMs: 0,
    });

  it('accepts a token bound to the certificate, and remembers it (the next check is synchronous)', async () => {
    const key = await keyPair('k1');
    await publish(key);
    const v = verifier();
    const fp = pki.clients.billing.x509.fingerprint256;
    const t = await token(key, fp);
    expect(await v.verify(t, fp)).toMatchObject({
      ok: true,
      token: { subject: 'billing-service' },
    });
    const again = v.verify(t, fp);
    expect(again).not.toBeInstanceOf(Promise);
    expect(v.verify(t, pki.clients.gateway.x509.fingerprint256)).toMatchObject({
      ok: false,
      code: 'MTLS_TOKEN_NOT_BOUND',
    });
    await v.close();
  });

  it('follows a key rotation: a token signed by a new key fetches the JWKS again', async () => {
    const [old, next] = [await keyPair('old'), await keyPair('next')];
    await publish(old);
    const v = verifier();
    const fp = pki.clients.billing.x509.fingerprint256;
    expect(await v.verify(await token(old, fp), fp)).toMatchObject({ ok: true });
    const before = fetches;
    await publish(next);
    expect(await v.verify(await token(next, fp), fp)).toMatchObject({ ok: true });
    expect(fetches).toBe(before + 1);
    // The retired key is gone from the set: a new token signed with it no longer verifies.
    expect(await v.verify(await token(old, fp, { jti: 'x' }), fp)).toMatchObject({
      ok: false,
      code: 'MTLS_TOKEN_INVALID',
    });
    await v.close();
  });

  it('refuses wrong issuer, audience, expiry, and a token without cnf, each with its reason', async () => {
    const key = await keyPair('k2');
    await publish(key);
    const v = verifier();
    const fp = pki.clients.billing.x509.fingerprint256;
    const wrongAudience = await new SignJWT({ cnf: { 'x5t#S256': x5tS256(fp) } })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .setIssuer(ISSUER)
      .setAudience('https://other.test')
      .setExpirationTime('5m')
      .sign(key.privateKey);
    expect(await v.verify(wrongAudience, fp)).toMatchObject({
      code: 'MTLS_TOKEN_INVALID',
      reason: "the token's aud claim is not the expected one",
    });
    const expired = await token(key, fp, {}, Math.floor(Date.now() / 1000) - 3600);
    expect(await v.verify(expired, fp)).toMatchObject({ reason: 'the token has expired' });
    const unbound = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key.privateKey);
    expect(await v.verify(unbound, fp)).toMatchObject({ code: 'MTLS_TOKEN_NOT_BOUND' });
    await v.close();
  });

  it('refuses, without throwing, when the JWKS server is not the one its CA vouches for', async () => {
    const key = await keyPair('k3');
    await publish(key);
    const v = new BoundTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl,
      jwksCa: readFileSync(pki.rogueCaFile),
    });
    const fp = pki.clients.billing.x509.fingerprint256;
    expect(await v.verify(await token(key, fp), fp)).toMatchObject({
      ok: false,
      code: 'MTLS_TOKEN_INVALID',
      reason: expect.stringMatching(/^the JWKS could not be fetched/) as string,
    });
    await v.close();
  });
});

describe('bearer tokens and challenges (RFC 6750)', () => {
  it('reads one bearer token, case-insensitive scheme; anything else is malformed', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer abc.def-_~+/=')).toBe('abc.def-_~+/=');
    expect(bearerToken('bearer abc')).toBe('abc');
    for (const bad of ['Basic abc', 'Bearer', 'Bearer a b', 'Bearer ' + 'a'.repeat(20_000)]) {
      expect(bearerToken(bad), bad.slice(0, 20)).toBeNull();
    }
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeNull();
  });

  it('names no error without a token, invalid_token otherwise, quoting safely', () => {
    expect(bearerChallenge('api')).toBe('Bearer realm="api"');
    expect(bearerChallenge('api', 'the "x" claim\n')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="the \\"x\\" claim?"',
    );
  });

  it('x5t#S256 is the base64url SHA-256 of the certificate', () => {
    const cert = pki.clients.billing.x509;
    expect(x5tS256(cert.fingerprint256)).toBe(
      createHash('sha256').update(cert.raw).digest('base64url'),
    );
  });

  it('reads the certificate an x5t#S256 names only from its canonical encoding', () => {
    const cert = pki.clients.billing.x509;
    const x5t = x5tS256(cert.fingerprint256);
    expect(fingerprintOfX5t(x5t)).toBe(cert.fingerprint256);
    expect(fingerprintOfX5t(`${x5t}=`)).toBeUndefined();
    expect(fingerprintOfX5t(Buffer.from(cert.raw).toString('base64url'))).toBeUndefined();
    expect(fingerprintOfX5t(x5t.slice(0, -1))).toBeUndefined();
  });
});
