import { checkExpiry, type AuthOutcome } from '../x509/certificate-policy.js';
import {
  MATCH_KEYS,
  type CertificateIdentity,
  type IdentitySource,
} from '../x509/client-identity.js';
import type { IdentityMatcher } from '../allowlist/identity-pattern.js';

/** Whose trust configuration judged a connection; a bumped generation makes it stale. */
export interface TrustGeneration {
  readonly generation: number;
}

/**
 * A remembered authentication: of a direct TLS connection (for every request it carries), or of a
 * forwarded certificate header (for every request that repeats it).
 *
 * What is fixed at creation is `readonly`; what changes later (the outcome turning into a
 * refusal, the strategy's user, OCSP's word, the allowlist's verdict) is private and changes only
 * through the methods below, each named for the event. The fast path reads `user` (one getter,
 * inlined) on every request.
 */
export class AuthEntry {
  /** The trust configuration's generation when this entry was judged. */
  readonly generation: number;
  /** Where the outcome's identity came from, when it carries one (counted on every success). */
  readonly source: IdentitySource | undefined;
  #outcome: AuthOutcome;
  #user: unknown = undefined;
  #validation: Promise<unknown> | undefined = undefined;
  #ocspValidUntil: number | undefined = undefined;
  #recheckAt: number;
  #allowlist: IdentityMatcher | undefined = undefined;
  #allowed = false;

  /**
   * @param owner whose generation the entry belongs to (a reload bumps it: the entry is stale).
   * @param delegates a connection entry only: its caller is a trusted forwarder, so each of its
   *   requests may carry an entry of its own (the callers it acts for). Otherwise no request on
   *   the connection ever has one, and the connection's entry answers without a second lookup.
   */
  constructor(
    readonly owner: TrustGeneration,
    outcome: AuthOutcome,
    readonly delegates = false,
  ) {
    this.generation = owner.generation;
    this.source = outcome.identity?.source;
    this.#outcome = outcome;
    this.#recheckAt = outcome.ok ? outcome.identity[MATCH_KEYS].notAfterMs : Infinity;
  }

  /** The verdict: an identity, or a reason code. A success may later turn into a refusal. */
  get outcome(): AuthOutcome {
    return this.#outcome;
  }

  /**
   * What the strategy's `validate()` made of the identity, once it succeeded. Only ever set while
   * the outcome is a success: a defined `user` means an accepted entry.
   */
  get user(): unknown {
    return this.#user;
  }

  /** OCSP answered for this entry (so the fast path may use it) until this epoch ms. */
  get ocspValidUntil(): number | undefined {
    return this.#ocspValidUntil;
  }

  /**
   * Epoch ms after which the entry must be looked at again before it answers: the identity's
   * notAfter or the end of the OCSP answer, whichever comes first; never for a refusal. Kept on
   * the entry itself so the per-request check reads one field of an object already loaded, not
   * the identity's (measured: the walk to the identity's notAfter was half of the fast path's cost
   * on Express, every object on it a cache miss).
   */
  get recheckAt(): number {
    return this.#recheckAt;
  }

  /** The service-wide allowlist that last judged this entry's identity. */
  get allowlist(): IdentityMatcher | undefined {
    return this.#allowlist;
  }

  /** Turns the entry into a refusal (expired, revoked): it answers with `outcome` from now on. */
  refuse(outcome: AuthOutcome & { ok: false }): void {
    this.#outcome = outcome;
    this.#user = undefined;
    this.#validation = undefined;
    this.#recheckAt = Infinity;
  }

  /**
   * Records what `validate()` made of an accepted entry's identity, and that it is no longer
   * running. A refused entry keeps none, and neither does a falsy result (the caller is refused,
   * and asked about again on its next request, as is one whose `validate()` threw: `undefined`).
   */
  rememberUser(user: unknown): void {
    this.#validation = undefined;
    if (this.#outcome.ok && user) this.#user = user;
  }

  /**
   * The `validate()` still running for this entry, if any: a second request of the same caller
   * waits for it instead of calling `validate()` again.
   */
  get validation(): Promise<unknown> | undefined {
    return this.#validation;
  }

  /** Records a `validate()` that has not settled yet (see {@link validation}). */
  validating(pending: Promise<unknown>): void {
    this.#validation = pending;
  }

  /** Records that OCSP vouched for an accepted entry's certificate until `validUntil` (epoch ms). */
  trustOcspUntil(validUntil: number): void {
    this.#ocspValidUntil = validUntil;
    this.#recheckAt = Math.min(this.#recheckAt, validUntil);
  }

  /**
   * The service-wide allowlist's verdict on this accepted entry's `identity`, remembered for as
   * long as the allowlist is the same: a keep-alive caller is matched against the patterns once,
   * not on every request.
   */
  allowedBy(identity: CertificateIdentity, allowlist: IdentityMatcher): boolean {
    if (this.#allowlist !== allowlist) {
      this.#allowed = allowlist(identity);
      this.#allowlist = allowlist;
    }
    return this.#allowed;
  }

  /**
   * This entry if it is current at `now`: same trust generation, and a remembered identity not
   * expired (else the entry turns into a refusal, kept); `undefined` when stale.
   */
  current(now: number): this | undefined {
    if (this.generation !== this.owner.generation) return undefined;
    if (now > this.#recheckAt) this.recheck(now);
    return this;
  }

  /** An accepted entry whose certificate or OCSP answer may have run out by `now`. */
  private recheck(now: number): void {
    const outcome = this.#outcome;
    if (!outcome.ok) return;
    // An OCSP answer that ran out sends the caller through the full path again, to be asked anew.
    if (this.#ocspValidUntil !== undefined && now > this.#ocspValidUntil) {
      this.#ocspValidUntil = undefined;
      this.#user = undefined;
    }
    const expired = checkExpiry(outcome.identity, now);
    if (expired) return this.refuse(expired);
    this.#recheckAt = Math.min(
      outcome.identity[MATCH_KEYS].notAfterMs,
      this.#ocspValidUntil ?? Infinity,
    );
  }
}
