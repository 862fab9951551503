import { BlockList, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MATCH_KEYS, type CertificateIdentity } from '../x509/client-identity.js';
import { compileIdentityPatterns, type IdentityMatcher } from '../allowlist/identity-pattern.js';
import type { TrustGeneration } from '../records/auth-entry.js';
import type { CoarseClock } from '../records/coarse-clock.js';
import {
  effectiveRanges,
  formatAddress,
  normalizePeerAddress,
  parseRange,
} from '../options/address-ranges.js';

/** The identity a peer proves with its own TLS client certificate, or `undefined`. */
export type PeerCertificateJudge = (socket: TLSSocket) => CertificateIdentity | undefined;

interface Verdict {
  readonly trusted: boolean;
  /** The trust generation it was made under (identity verdicts only; see {@link isTrusted}). */
  readonly generation: number;
  /** Epoch ms after which it is made again: the proxy certificate's notAfter. */
  readonly recheckAt: number;
}

/**
 * Which TCP peers may forward a client certificate in a header: those in the address list (when
 * one is set) AND, when identity patterns are set, those that present over TLS a client
 * certificate this service trusts and whose identity matches a pattern. Forwarding is off when
 * neither is set.
 *
 * Decided once per connection, and again for an identity verdict after a trust change (a revoked
 * or removed proxy certificate stops forwarding on its open connections) or once the proxy's
 * certificate has expired.
 */
export class TrustedProxies {
  private readonly addresses: BlockList | undefined;
  private readonly identities: IdentityMatcher | undefined;
  private readonly verdicts = new WeakMap<Socket, Verdict>();

  /**
   * @param cidrs addresses or CIDR ranges, already validated.
   * @param identityPatterns identity patterns, already validated.
   * @param judge the identity a peer proves (trusted chain, validity, usage, revocation).
   * @param trust whose generation makes identity verdicts stale.
   * @param clock when a proxy certificate's verdict is looked at again.
   */
  constructor(
    cidrs: readonly string[],
    identityPatterns: readonly string[],
    private readonly judge: PeerCertificateJudge,
    private readonly trust: TrustGeneration,
    private readonly clock: CoarseClock,
  ) {
    this.addresses = createBlockList(cidrs);
    this.identities = compileIdentityPatterns(identityPatterns);
  }

  /** `true` when some peer may forward certificates at all. */
  get enabled(): boolean {
    return this.addresses !== undefined || this.identities !== undefined;
  }

  /** `true` when this socket's peer may forward certificates. */
  isTrusted(socket: Socket): boolean {
    if (!this.enabled) return false;
    const known = this.verdicts.get(socket);
    if (
      known !== undefined &&
      (known.generation === this.trust.generation || this.identities === undefined) &&
      this.clock.now() <= known.recheckAt
    ) {
      return known.trusted;
    }
    const verdict = this.decide(socket);
    this.verdicts.set(socket, verdict);
    return verdict.trusted;
  }

  private decide(socket: Socket): Verdict {
    const generation = this.trust.generation;
    if (this.addresses && !isInBlockList(this.addresses, socket.remoteAddress)) {
      return { trusted: false, generation, recheckAt: Infinity };
    }
    if (!this.identities) return { trusted: true, generation, recheckAt: Infinity };
    const tls = socket as TLSSocket;
    if (!tls.encrypted) return { trusted: false, generation, recheckAt: Infinity };
    const identity = this.judge(tls);
    if (identity === undefined) return { trusted: false, generation, recheckAt: Infinity };
    return {
      trusted: this.identities(identity),
      generation,
      recheckAt: identity[MATCH_KEYS].notAfterMs,
    };
  }
}

function createBlockList(cidrs: readonly string[]): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  // IPv4-mapped ranges (::ffff:10.0.0.0/104) are added as the IPv4 they stand for, since peers
  // are matched as IPv4 (isInBlockList).
  for (const range of effectiveRanges(cidrs.map(parseRange))) {
    const family = range.family === 4 ? 'ipv4' : 'ipv6';
    list.addRange(
      formatAddress(range.family, range.first),
      formatAddress(range.family, range.last),
      family,
    );
  }
  return list;
}

function isInBlockList(list: BlockList, address: string | undefined): boolean {
  // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d: they are matched as IPv4.
  const peer = normalizePeerAddress(address);
  return peer !== undefined && list.check(peer.address, peer.family);
}
