/**
 * Where certificate-bound access tokens (RFC 8705) come from, and what a resource server checks
 * of them: `MTLS_BOUND_TOKEN_ISSUER`, `MTLS_BOUND_TOKEN_AUDIENCE`, `MTLS_BOUND_TOKEN_JWKS_URL`.
 *
 * @see RFC 8705 section 3 (certificate-bound access tokens), RFC 9068 (JWT access tokens)
 */
export interface BoundTokenSettings {
  /** The authorization server's issuer identifier: the token's `iss` must equal it. */
  readonly issuer: string;
  /** This service's identifier at the authorization server: the token's `aud` must name it. */
  readonly audience: string;
  /** HTTPS URL of the authorization server's JSON Web Key Set (its `jwks_uri`). */
  readonly jwksUrl: string;
  /**
   * PEM CAs that verify the JWKS server; Node's own store when unset. The fetch always verifies
   * the server: a JWKS from an unverified server would let anyone mint tokens.
   */
  readonly jwksCa?: string | Buffer;
  /**
   * How long fetched keys are used before the JWKS is fetched again (a token signed by a key not
   * in the set fetches it at once, at most every `jwksCooldownMs`: key rotation).
   * @default 600000 (10 minutes)
   */
  readonly jwksCacheMaxAgeMs?: number;
  /** @default 30000 */
  readonly jwksCooldownMs?: number;
  /** Seconds of clock skew tolerated on `exp` and `nbf`. @default 30 */
  readonly clockToleranceSec?: number;
}
