import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { checkExpiry, type AuthOutcome } from '../x509/certificate-policy.js';
import {
  MATCH_KEYS,
  type CertificateIdentity,
  type IdentitySource,
} from '../x509/client-identity.js';
import type { IdentityMatcher } from '../x509/identity-pattern.js';
import { coarseNow } from './coarse-clock.js';
import { rawRequest, type HttpRequest } from '../nest/http-request.js';

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

// Both maps are keyed by Node objects and never write to them: adding properties to Node's
// requests or sockets after construction slows every later access in Node's and Express's own
// code (measured: ~4 µs per request per property on Express over TLS). A request's own entry
// (forwarded certificate, or original callers passed on in XFCC) wins over its connection's; a
// `get` on a request never bound gives it no hidden field, only `set` would.
const connections = new WeakMap<Socket, AuthEntry>();
const requests = new WeakMap<IncomingMessage, AuthEntry>();

/** The connection's remembered entry, if it is current (see {@link currentEntry}). */
export function connectionEntry(socket: Socket): AuthEntry | undefined {
  return currentEntry(connections.get(socket));
}

/**
 * The entry if it is current: same trust generation, and a remembered identity not expired (else
 * the entry turns into a refusal, kept), by the {@link coarseNow} clock.
 */
export function currentEntry(entry: AuthEntry | undefined): AuthEntry | undefined {
  if (entry === undefined || entry.generation !== entry.owner.generation) return undefined;
  const now = coarseNow();
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

/** Remembers the outcome of a connection's certificate for its later requests. */
export function rememberConnection(socket: Socket, entry: AuthEntry): AuthEntry {
  connections.set(socket, entry);
  return entry;
}

/** The entry bound to this very request, if any. */
export function requestEntry(request: HttpRequest): AuthEntry | undefined {
  return requests.get(rawRequest(request));
}

/** Binds an entry to one request (forwarded certificates: the connection does not identify the caller). */
export function bindRequest(request: HttpRequest, entry: AuthEntry): void {
  requests.set(rawRequest(request), entry);
}

/**
 * The entry that answers for a request: its connection's, unless the connection delegates or is
 * not judged (a proxy's), in which case the request's own entry wins. One lookup on the common
 * path: a direct caller's keep-alive request.
 */
function entryOf(raw: IncomingMessage): AuthEntry | undefined {
  const connection = connectionEntry(raw.socket);
  if (connection !== undefined && !connection.delegates) return connection;
  return requests.get(raw) ?? connection;
}

/** Records what `validate()` returned, for the request and, on a direct connection, the connection. */
export function rememberUser(request: HttpRequest, user: unknown): void {
  const entry = entryOf(rawRequest(request));
  if (entry?.outcome.ok) entry.user = user;
}

// The request the authentication guard has just let through on its fast path, and the entry that
// answered: Nest calls the allowlist guard next, in the same synchronous pass, and it takes the
// entry from here instead of looking the request up (and judging its validity) a second time.
// Taken once, then cleared; without an allowlist guard it holds one request until the next one.
let passedRequest: IncomingMessage | undefined;
let passedEntry: AuthEntry | undefined;

/** Hands the entry that just authenticated `request` to the next guard (see {@link takePassedEntry}). */
export function passOn(request: HttpRequest, entry: AuthEntry): void {
  passedRequest = rawRequest(request);
  passedEntry = entry;
}

/**
 * The entry the authentication guard has just accepted for this request, or, when the guard did
 * not pass one on (Passport path, another guard in between), the request's entry as
 * {@link identityOfRequest} finds it.
 */
export function takePassedEntry(request: HttpRequest): AuthEntry | undefined {
  const raw = rawRequest(request);
  if (raw !== passedRequest) return entryOf(raw);
  const entry = passedEntry;
  passedRequest = undefined;
  passedEntry = undefined;
  return entry;
}

/** The authenticated identity of a request: its own, or its connection's. */
export function identityOfRequest(request: HttpRequest): CertificateIdentity | undefined {
  const outcome = entryOf(rawRequest(request))?.outcome;
  return outcome?.ok ? outcome.identity : undefined;
}

function userOfRequest(raw: IncomingMessage): unknown {
  const entry = entryOf(raw);
  return entry?.outcome.ok ? entry.user : undefined;
}

let installed = false;

/**
 * Makes `request.user` on Node requests (Express's requests are Node requests) read the
 * authenticated user without a write per request. Assigning `request.user` still works as
 * always: it creates an own property, which then wins. Passport extends
 * `IncomingMessage.prototype` in the same way (`req.login`, `req.isAuthenticated`).
 */
export function installRequestUserAccessor(): void {
  if (installed || Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'user')) return;
  installed = true;
  Object.defineProperty(IncomingMessage.prototype, 'user', {
    configurable: true,
    enumerable: false,
    get(this: IncomingMessage) {
      return userOfRequest(this);
    },
    set(this: IncomingMessage, value: unknown) {
      Object.defineProperty(this, 'user', {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  });
}
