import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { CertificateIdentity } from '../x509/client-identity.js';
import type { AuthEntry } from './auth-entry.js';
import type { CoarseClock } from './coarse-clock.js';

/**
 * What one application remembers about its callers between requests: the fast path's whole state,
 * owned by its authenticator (two applications in one process share nothing).
 *
 * Invariants:
 * 1. **A TLS connection's caller cannot change while it is open.** The server refuses every
 *    renegotiation (`SSL_OP_NO_RENEGOTIATION`; TLS 1.3 has none), so a connection's entry answers
 *    for every request it carries, while the entry is {@link current}: same trust generation,
 *    and not past its recheck time (the certificate's notAfter, or the end of an OCSP answer).
 * 2. **Nothing is written on Node's requests or sockets.** Entries live in `WeakMap`s keyed by
 *    them: adding properties to Node's objects after construction slows every later access to
 *    them in Node's and Express's code (measured: ~4 µs per request per property on Express over
 *    TLS). A `get` on an object never bound gives it no hidden field.
 * 3. **A request's own entry wins over its connection's** (a forwarded certificate, or original
 *    callers named in XFCC), unless the connection is a direct caller that does not delegate:
 *    then no request on it has one, and the connection's entry answers in one lookup.
 * 4. **Guards hand over, they do not look up twice.** The authentication guard passes the entry it
 *    accepted to the allowlist guard, which Nest runs next in the same synchronous pass.
 */
export class CallerMemory {
  private readonly connections = new WeakMap<Socket, AuthEntry>();
  private readonly requests = new WeakMap<IncomingMessage, AuthEntry>();
  private passedRequest: IncomingMessage | undefined;
  private passedEntry: AuthEntry | undefined;

  constructor(private readonly clock: CoarseClock) {}

  /** `entry` if it is still current (invariant 1), else `undefined`. */
  current(entry: AuthEntry | undefined): AuthEntry | undefined {
    return entry?.current(this.clock.now());
  }

  /** The connection's remembered entry, if current. */
  connection(socket: Socket): AuthEntry | undefined {
    return this.current(this.connections.get(socket));
  }

  rememberConnection(socket: Socket, entry: AuthEntry): AuthEntry {
    this.connections.set(socket, entry);
    return entry;
  }

  /** The entry bound to this very request, if any. */
  request(raw: IncomingMessage): AuthEntry | undefined {
    return this.requests.get(raw);
  }

  bindRequest(raw: IncomingMessage, entry: AuthEntry): void {
    this.requests.set(raw, entry);
  }

  /** The entry that answers for a request (invariant 3). */
  entryOf(raw: IncomingMessage): AuthEntry | undefined {
    const connection = this.connection(raw.socket);
    if (connection !== undefined && !connection.delegates) return connection;
    return this.requests.get(raw) ?? connection;
  }

  /** Hands the entry that just authenticated `raw` to the next guard (invariant 4). */
  passOn(raw: IncomingMessage, entry: AuthEntry): void {
    this.passedRequest = raw;
    this.passedEntry = entry;
  }

  /**
   * The entry the authentication guard has just passed on for this request (taken once), or the
   * request's entry when it passed none (Passport path, another guard in between).
   */
  takePassedEntry(raw: IncomingMessage): AuthEntry | undefined {
    if (raw !== this.passedRequest) return this.entryOf(raw);
    const entry = this.passedEntry;
    this.passedRequest = undefined;
    this.passedEntry = undefined;
    return entry;
  }

  /** The authenticated identity of a request, if any. */
  identityOf(raw: IncomingMessage): CertificateIdentity | undefined {
    const outcome = this.entryOf(raw)?.outcome;
    return outcome?.ok ? outcome.identity : undefined;
  }

  /** What `validate()` returned for the request's caller, if it was accepted. */
  userOf(raw: IncomingMessage): unknown {
    const entry = this.entryOf(raw);
    return entry?.outcome.ok ? entry.user : undefined;
  }
}
