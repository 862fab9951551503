import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Agent } from 'undici';
import { MtlsReasonCode } from '../x509/reason-code.js';
import type { BoundTokenSettings } from './bound-token-settings.js';
import { fingerprintOfX5t } from './certificate-thumbprint.js';

/** Signature algorithms accepted: asymmetric only (a JWKS publishes public keys). */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/**
 * `jose` and undici, loaded by the first token to verify rather than with this module: a service
 * with no `@RequireBoundToken()` route never loads them (start-up time).
 */
const loadJose = () => import('jose');
const loadUndici = () => import('undici');

/** How many verified tokens are remembered (by value, until they expire). */
const VERIFIED_TOKENS = 10_000;

/** A verified token's claims that a route may want (`request` never carries the token itself). */
export interface BoundTokenClaims {
  /** `sub`: for a client-credentials token, the client. */
  readonly subject: string | undefined;
  /** `client_id` (RFC 9068), when the token names it. */
  readonly clientId: string | undefined;
  /** `scope`, split on spaces. */
  readonly scopes: readonly string[];
  /** `exp`, epoch seconds. */
  readonly expiresAt: number;
  /** Every claim of the token. */
  readonly claims: JWTPayload;
}

/** What the verifier says of a token presented with a certificate. */
export type BoundTokenVerdict =
  | { readonly ok: true; readonly token: BoundTokenClaims }
  | {
      readonly ok: false;
      readonly code: typeof MtlsReasonCode.TokenInvalid | typeof MtlsReasonCode.TokenNotBound;
      /** Why, for the log line and the `WWW-Authenticate` description. */
      readonly reason: string;
    };

interface VerifiedToken {
  readonly claims: BoundTokenClaims;
  /** Its `cnf["x5t#S256"]`, if any. */
  readonly x5t: string | undefined;
  /** The certificate it names, as Node prints a SHA-256 fingerprint; read once per token. */
  readonly boundTo: string | undefined;
}

/**
 * Verifies certificate-bound JWT access tokens (RFC 8705 section 3, RFC 9068) with `jose`:
 * signature by a key of the authorization server's JWKS (fetched over HTTPS with the server
 * verified, cached, and fetched again when a token names a key it does not hold: key rotation),
 * `iss`, `aud`, `exp` and `nbf`; then `cnf["x5t#S256"]` against the certificate the request was
 * authenticated with. A token verified once is remembered until it expires (at most as long as
 * the keys are), so a caller's next requests cost a lookup and a string comparison.
 *
 * Never throws for anything a client sends, nor when the JWKS cannot be fetched: every failure
 * is a verdict (`MTLS_TOKEN_INVALID`), with the reason.
 */
export class BoundTokenVerifier {
  private agent: Agent | undefined;
  private keys: Promise<JWTVerifyGetKey> | undefined;
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });
  private readonly cacheMaxAgeMs: number;

  constructor(private readonly settings: BoundTokenSettings) {
    this.cacheMaxAgeMs = settings.jwksCacheMaxAgeMs ?? 600_000;
  }

  /** The authorization server's key set: fetched when first needed, then cached by `jose`. */
  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= Promise.all([loadJose(), loadUndici()]).then(([jose, undici]) => {
      const agent = new undici.Agent({
        connect: {
          // Always on: keys from an unverified server would let anyone mint tokens.
          rejectUnauthorized: true,
          ...(this.settings.jwksCa === undefined ? {} : { ca: this.settings.jwksCa }),
        },
      });
      this.agent = agent;
      return jose.createRemoteJWKSet(new URL(this.settings.jwksUrl), {
        cacheMaxAge: this.cacheMaxAgeMs,
        cooldownDuration: this.settings.jwksCooldownMs ?? 30_000,
        timeoutDuration: 5_000,
        [jose.customFetch]: (url, init) =>
          undici.fetch(url, {
            method: init.method,
            redirect: init.redirect,
            signal: init.signal,
            headers: Object.fromEntries(init.headers.entries()),
            dispatcher: agent,
          }),
      });
    });
    return this.keys;
  }

  /**
   * The verdict on `token` presented on a request authenticated with the certificate whose
   * SHA-256 fingerprint is `fingerprint256`: synchronous for a token verified before.
   */
  verify(token: string, fingerprint256: string): BoundTokenVerdict | Promise<BoundTokenVerdict> {
    const known = this.verified.get(token);
    if (known) return bind(known, fingerprint256);
    return this.verifyNew(token).then(
      (verified) => bind(verified, fingerprint256),
      (error: unknown) => ({
        ok: false,
        code: MtlsReasonCode.TokenInvalid,
        reason: describe(error),
      }),
    );
  }

  /** Closes the JWKS client's connections. */
  close(): Promise<void> {
    return this.agent?.close() ?? Promise.resolve();
  }

  private async verifyNew(token: string): Promise<VerifiedToken> {
    const [{ jwtVerify }, keys] = await Promise.all([loadJose(), this.keySet()]);
    const { payload } = await jwtVerify(token, keys, {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      algorithms: ALGORITHMS,
      clockTolerance: this.settings.clockToleranceSec ?? 30,
      requiredClaims: ['exp'],
    });
    const exp = payload.exp as number;
    const cnf = payload.cnf as Record<string, unknown> | undefined;
    const x5t = typeof cnf?.['x5t#S256'] === 'string' ? cnf['x5t#S256'] : undefined;
    const verified: VerifiedToken = {
      x5t,
      boundTo: x5t === undefined ? undefined : fingerprintOfX5t(x5t),
      claims: {
        subject: payload.sub,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        expiresAt: exp,
        claims: payload,
      },
    };
    const ttl = Math.min(exp * 1000 - Date.now(), this.cacheMaxAgeMs);
    if (ttl > 0) this.verified.set(token, verified, { ttl });
    return verified;
  }
}

function bind(token: VerifiedToken, fingerprint256: string): BoundTokenVerdict {
  if (token.x5t === undefined) {
    return {
      ok: false,
      code: MtlsReasonCode.TokenNotBound,
      reason: 'the token is not bound to a certificate (no cnf x5t#S256)',
    };
  }
  if (token.boundTo !== fingerprint256) {
    return {
      ok: false,
      code: MtlsReasonCode.TokenNotBound,
      reason: 'the token is bound to another certificate (cnf x5t#S256)',
    };
  }
  return { ok: true, token: token.claims };
}

/** A short reason for a failed verification, without the token (by `jose`'s stable codes). */
function describe(error: unknown): string {
  const e = error as {
    code?: string;
    claim?: string;
    reason?: string;
    cause?: { code?: string; message?: string };
    message?: string;
  };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `the token's ${String(e.claim)} claim ${e.reason === 'check_failed' ? 'is not the expected one' : String(e.reason).replaceAll('_', ' ')}`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key of the JWKS signed it';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'its signature does not verify';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'its signature algorithm is not accepted';
    case 'ERR_JWKS_TIMEOUT':
      return 'the JWKS did not answer in time';
  }
  if (e.code?.startsWith('ERR_JWKS')) return `the JWKS is not usable (${e.code})`;
  if (e.code?.startsWith('ERR_J')) return `it is not a valid JWT (${e.code})`;
  const detail = e.cause?.code ?? e.cause?.message ?? e.message;
  return `the JWKS could not be fetched (${String(detail)})`;
}
