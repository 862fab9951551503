import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { AuthEntry } from '../records/auth-entry.js';
import { JudgedCertificates } from '../records/judged-certificates.js';
import type { AuthOutcome } from '../x509/certificate-policy.js';
import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { DEFAULT_VERIFY_DEPTH } from '../x509/chain-verifier.js';
import { errorCode } from '../x509/tls-verify-error.js';
import { FIRST_GENERATION, type TrustConfiguration } from '../trust/trust-configuration.js';
import type { Warn } from '../trust/warn.js';

/**
 * Judges the caller of a direct TLS connection. The handshake's verdict decides trust (see
 * `CertificatePolicy.evaluateHandshake`), and entries are shared by every connection that presents
 * the same certificate with the same verdict, so a caller that reconnects pays a lookup. A
 * connection whose handshake happened under trust that has changed since (a CA bundle or CRL
 * reload) has a stale verdict: its certificate is judged again in TypeScript, against the current
 * trust, and its entry is its own.
 */
export class DirectTlsJudge {
  private readonly judged: JudgedCertificates<AuthEntry>;
  /**
   * The trust generation each connection's handshake happened under, recorded only once the trust
   * has changed: a connection with no record shook hands under the first generation. Until the
   * first change (most services' whole life) a new connection costs no entry here.
   */
  private readonly handshakes = new WeakMap<Socket, number>();

  constructor(
    private readonly trust: TrustConfiguration,
    private readonly forwarders: IdentityMatcher | undefined,
    /** OCSP is on: accepted outcomes carry their trusted chain (the request names the issuer). */
    private readonly withChains: boolean,
    cacheSize: number,
    private readonly warn: Warn,
  ) {
    this.judged = new JudgedCertificates<AuthEntry>(cacheSize);
  }

  /** How many certificates are remembered. */
  get size(): number {
    return this.judged.size;
  }

  /**
   * Entries of connections judged before their first request is (a peer that may be a proxy by
   * its certificate's identity), so that the request's judgment reuses them: Node 22 hands out a
   * peer's chain on the first `getPeerX509Certificate()` only, and a second reading would judge
   * the leaf without the intermediates it came with.
   */
  private readonly early = new WeakMap<Socket, AuthEntry>();
  private judgedEarly = false;

  /** {@link judge}, remembered for the connection's own first request. */
  judgeEarly(socket: TLSSocket): AuthEntry {
    const known = this.early.get(socket);
    if (known && known.generation === this.trust.generation) return known;
    const entry = this.judge(socket);
    this.early.set(socket, entry);
    this.judgedEarly = true;
    return entry;
  }

  /** Records that a handshake has just completed under the current trust. */
  recordHandshake(socket: Socket): void {
    const { generation } = this.trust;
    if (generation !== FIRST_GENERATION) this.handshakes.set(socket, generation);
  }

  /** Forgets every judged certificate (the trust changed). */
  clear(): void {
    this.judged.clear();
  }

  /** The entry of the connection's caller. Never throws for anything a client sends. */
  judge(socket: TLSSocket): AuthEntry {
    if (this.judgedEarly) {
      const early = this.early.get(socket);
      if (early && early.generation === this.trust.generation) return early;
    }
    if (!socket.encrypted || typeof socket.getPeerX509Certificate !== 'function') {
      return new AuthEntry(this.trust, { ok: false, code: MtlsReasonCode.CertMissing });
    }
    // Without a certificate Node reports UNABLE_TO_GET_ISSUER_CERT: ask for the certificate itself.
    const cert = socket.getPeerX509Certificate();
    if (!cert) return new AuthEntry(this.trust, { ok: false, code: MtlsReasonCode.CertMissing });
    const { policy } = this.trust;
    if (this.isStale(socket)) {
      return this.entry(() => policy.evaluateForwarded(cert, 'tls', presentedChain(cert)), cert);
    }
    const chain = presentedChain(cert);
    // The same leaf sent with other CAs may be judged otherwise: they are part of the key.
    const verdict =
      (socket.authorized ? 'OK' : errorCode(socket.authorizationError)) + policy.chainKey(chain);
    const known = this.judged.get(cert.fingerprint256, verdict);
    if (known) return known;
    const tls = { authorized: socket.authorized, error: socket.authorizationError };
    const entry = this.entry(() => policy.evaluateHandshake(cert, tls, () => chain), cert);
    this.judged.set(cert.fingerprint256, verdict, entry);
    return entry;
  }

  /** `true` when the connection's handshake happened under trust that has changed since. */
  private isStale(socket: Socket): boolean {
    const { generation } = this.trust;
    return (
      generation !== FIRST_GENERATION &&
      (this.handshakes.get(socket) ?? FIRST_GENERATION) !== generation
    );
  }

  private entry(evaluate: () => AuthOutcome, cert: X509Certificate): AuthEntry {
    let outcome: AuthOutcome;
    try {
      outcome = this.withChain(evaluate(), cert);
    } catch (cause) {
      // The handshake accepted the DER but our parser did not: refuse, and say why in the log.
      this.warn({ msg: 'client certificate could not be read', err: cause });
      outcome = { ok: false, code: MtlsReasonCode.CertUntrusted };
    }
    const delegates = outcome.ok && this.forwarders?.(outcome.identity) === true;
    return new AuthEntry(this.trust, outcome, delegates);
  }

  private withChain(outcome: AuthOutcome, cert: X509Certificate): AuthOutcome {
    if (!this.withChains || !outcome.ok || outcome.chain) return outcome;
    const chain = this.trust.policy.trustedChain(cert, presentedChain(cert));
    return chain ? { ...outcome, chain } : outcome;
  }
}

/**
 * The certificates the peer sent above its leaf, as Node links them through `issuerCertificate`
 * (completed from the bundle), as many as OpenSSL's verification depth can use.
 */
function presentedChain(leaf: X509Certificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>([leaf.fingerprint256]);
  for (
    let current = leaf.issuerCertificate;
    current !== undefined && chain.length <= DEFAULT_VERIFY_DEPTH;
    current = current.issuerCertificate
  ) {
    const fingerprint = current.fingerprint256;
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    chain.push(current);
  }
  return chain;
}
