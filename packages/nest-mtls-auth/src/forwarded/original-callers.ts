import type { IncomingMessage } from 'node:http';
import { AuthEntry } from '../records/auth-entry.js';
import type { CallerMemory } from '../records/caller-memory.js';
import type { Warn } from '../trust/warn.js';
import type { TrustConfiguration } from '../trust/trust-configuration.js';
import type { ForwardedCaller } from '../x509/client-identity.js';
import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { hasHeader } from '../http/http-request.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { forwardedCallerFrom } from './forwarded-caller.js';
import { parseXfcc, XFCC_HEADER } from './xfcc.js';

/**
 * Delegation: a caller whose own certificate matches `trustedForwarders` may say, in
 * `x-forwarded-client-cert`, on whose behalf it calls. The request then gets its own entry, whose
 * identity carries `forwardedFor` (original caller first). From anyone else the header is removed
 * from the request and logged; a malformed one from a trusted forwarder is refused.
 */
export class OriginalCallers {
  constructor(
    private readonly trust: TrustConfiguration,
    private readonly memory: CallerMemory,
    private readonly forwarders: IdentityMatcher | undefined,
    /** XFCC is then the proxy's certificate header, not a delegation. */
    private readonly certificateHeaderIsXfcc: boolean,
    private readonly warn: Warn,
  ) {}

  /** The entry that answers for `raw`, given its caller's entry. */
  apply(raw: IncomingMessage, entry: AuthEntry): AuthEntry {
    if (this.certificateHeaderIsXfcc || !hasHeader(raw, XFCC_HEADER)) return entry;
    const header = raw.headers[XFCC_HEADER];
    if (header === undefined) return entry;
    const identity = entry.outcome.ok ? entry.outcome.identity : undefined;
    if (!identity || !this.forwarders?.(identity)) {
      // Removed, not only ignored: nothing downstream can read it by mistake.
      delete raw.headers[XFCC_HEADER];
      this.warn({
        msg: 'x-forwarded-client-cert from a caller that is not a trusted forwarder removed',
        event: 'mtls.xfcc_ignored',
        cn: identity?.commonName ?? null,
        fingerprint256: identity?.fingerprint256 ?? null,
        peer: raw.socket.remoteAddress ?? null,
      });
      return entry;
    }
    let forwardedFor: ForwardedCaller[];
    try {
      forwardedFor = parseXfcc(Array.isArray(header) ? header.join(',') : header).map(
        forwardedCallerFrom,
      );
    } catch {
      // A trusted forwarder that sends an unreadable chain is misbehaving: fail closed.
      return new AuthEntry(this.trust, { ok: false, code: MtlsReasonCode.CertMalformed, identity });
    }
    // The connection's outcome with the original callers added: its chain (for OCSP) and a pin's
    // report-only refusal hold for these requests as for the forwarder's own.
    const own = new AuthEntry(this.trust, {
      ...entry.outcome,
      identity: Object.freeze({ ...identity, forwardedFor }),
    });
    this.memory.bindRequest(raw, own);
    return own;
  }
}
