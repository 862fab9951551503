import { checkExpiry, type AuthOutcome } from '../x509/certificate-policy.js';
import {
  MATCH_KEYS,
  type CertificateIdentity,
  type IdentitySource,
} from '../x509/client-identity.js';
import type { IdentityMatcher } from '../x509/identity-pattern.js';

/** Whose trust configuration judged a connection; a bumped generation makes it stale. */
export interface TrustGeneration {
  readonly generation: number;
}

/**
 * A remembered authentication: of a direct TLS connection (for every request it carries), or of a
 * forwarded certificate header (for every request that repeats it).
 */
export interface AuthEntry {
  readonly owner: TrustGeneration;
  readonly generation: number;
  /** Changed only through {@link refuseEntry} once created. */
  readonly outcome: AuthOutcome;
  /** Where the outcome's identity came from, when it carries one (counted on every success). */
  readonly source: IdentitySource | undefined;
  /**
   * A connection entry only: its caller is a trusted forwarder, so each of its requests may carry
   * an entry of its own (the callers it acts for). Otherwise no request on the connection ever
   * has one, and the connection's entry answers without a second lookup.
   */
  readonly delegates: boolean;
  /**
   * What the strategy's `validate()` made of the identity, once it succeeded. Only ever set while
   * the outcome is a success: a defined `user` means an accepted entry.
   */
  user?: unknown;
  /** OCSP answered for this entry (so the fast path may use it) until this epoch ms. */
  readonly ocspValidUntil: number | undefined;
  /**
   * Epoch ms after which the entry must be looked at again before it answers: the identity's
   * notAfter or the end of the OCSP answer, whichever comes first; never for a refusal. Kept on
   * the entry itself so the per-request check reads one field of an object already loaded, not
   * the identity's (measured: the walk to the identity's notAfter was half of the fast path's cost
   * on Express, every object on it a cache miss).
   */
  readonly recheckAt: number;
  /** The service-wide allowlist that last judged this entry's identity, and its verdict. */
  allowlist: IdentityMatcher | undefined;
  allowed: boolean;
}

type MutableEntry = { -readonly [K in keyof AuthEntry]: AuthEntry[K] };

/** A new entry for `outcome`, judged under `owner`'s current trust generation. */
export function createEntry(
  owner: TrustGeneration,
  outcome: AuthOutcome,
  delegates = false,
): AuthEntry {
  return {
    owner,
    generation: owner.generation,
    outcome,
    source: outcome.identity?.source,
    delegates,
    user: undefined,
    ocspValidUntil: undefined,
    recheckAt: outcome.ok ? outcome.identity[MATCH_KEYS].notAfterMs : Infinity,
    allowlist: undefined,
    allowed: false,
  };
}

/** Turns an entry into a refusal (expired, revoked): it answers with `outcome` from now on. */
export function refuseEntry(entry: AuthEntry, outcome: AuthOutcome & { ok: false }): void {
  const e = entry as MutableEntry;
  e.outcome = outcome;
  e.user = undefined;
  e.recheckAt = Infinity;
}

/** Records what `validate()` made of an accepted entry's identity (a refused entry keeps none). */
export function rememberUser(entry: AuthEntry, user: unknown): void {
  if (entry.outcome.ok) entry.user = user;
}

/** Records that OCSP vouched for an accepted entry's certificate until `validUntil` (epoch ms). */
export function trustOcspUntil(entry: AuthEntry, validUntil: number): void {
  const e = entry as MutableEntry;
  e.ocspValidUntil = validUntil;
  e.recheckAt = Math.min(e.recheckAt, validUntil);
}

/**
 * The service-wide allowlist's verdict on an accepted entry's `identity`, remembered on the entry
 * for as long as the allowlist is the same: a keep-alive caller is matched against the patterns
 * once, not on every request.
 */
export function allowedBy(
  entry: AuthEntry,
  identity: CertificateIdentity,
  allowlist: IdentityMatcher,
): boolean {
  if (entry.allowlist !== allowlist) {
    entry.allowed = allowlist(identity);
    entry.allowlist = allowlist;
  }
  return entry.allowed;
}

/**
 * The entry if it is current at `now`: same trust generation, and a remembered identity not
 * expired (else the entry turns into a refusal, kept).
 */
export function currentEntry(entry: AuthEntry | undefined, now: number): AuthEntry | undefined {
  if (entry === undefined || entry.generation !== entry.owner.generation) return undefined;
  if (now > entry.recheckAt) recheck(entry, now);
  return entry;
}

/** An accepted entry whose certificate or OCSP answer may have run out by `now`. */
function recheck(entry: MutableEntry, now: number): void {
  if (!entry.outcome.ok) return;
  // An OCSP answer that ran out sends the caller through the full path again, to be asked anew.
  if (entry.ocspValidUntil !== undefined && now > entry.ocspValidUntil) {
    entry.ocspValidUntil = undefined;
    entry.user = undefined;
  }
  const expired = checkExpiry(entry.outcome.identity, now);
  if (expired) return refuseEntry(entry, expired);
  entry.recheckAt = Math.min(
    entry.outcome.identity[MATCH_KEYS].notAfterMs,
    entry.ocspValidUntil ?? Infinity,
  );
}
