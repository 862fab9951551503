import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { Agent, fetch } from 'undici';
import { MtlsReasonCode } from '../x509/reason-code.js';
import type { BoundTokenSettings } from './bound-token-settings.js';
import { x5tS256 } from './certificate-thumbprint.js';

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
  private readonly agent: Agent;
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });
  private readonly cacheMaxAgeMs: number;

  constructor(private readonly settings: BoundTokenSettings) {
    this.cacheMaxAgeMs = settings.jwksCacheMaxAgeMs ?? 600_000;
    this.agent = new Agent({
      connect: {
        // Always on: keys from an unverified server would let anyone mint tokens.
        rejectUnauthorized: true,
        ...(settings.jwksCa === undefined ? {} : { ca: settings.jwksCa }),
      },
    });
    const agent = this.agent;
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), {
      cacheMaxAge: this.cacheMaxAgeMs,
      cooldownDuration: settings.jwksCooldownMs ?? 30_000,
      timeoutDuration: 5_000,
      [customFetch]: (url, init) =>
        fetch(url, {
          method: init.method,
          redirect: init.redirect,
          signal: init.signal,
          headers: Object.fromEntries(init.headers.entries()),
          dispatcher: agent,
        }),
    });
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
    return this.agent.close();
  }

  private async verifyNew(token: string): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, this.keys, {
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
  if (token.x5t !== x5tS256(fingerprint256)) {
    return {
      ok: false,
      code: MtlsReasonCode.TokenNotBound,
      reason: 'the token is bound to another certificate (cnf x5t#S256)',
    };
  }
  return { ok: true, token: token.claims };
}

/** A short reason for a failed verification, without the token. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the token's ${error.claim} claim ${error.reason === 'check_failed' ? 'is not the expected one' : error.reason.replaceAll('_', ' ')}`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the JWKS signed it';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'its signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its signature algorithm is not accepted';
  if (error instanceof errors.JWKSTimeout) return 'the JWKS did not answer in time';
  if (error instanceof errors.JOSEError) return `it is not a valid JWT (${error.code})`;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error | undefined)?.message;
  return `the JWKS could not be fetched (${String(detail)})`;
}
