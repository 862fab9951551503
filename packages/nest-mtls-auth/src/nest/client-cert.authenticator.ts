import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Injectable, Logger } from '@nestjs/common';
import { CertificatePolicy, type AuthOutcome } from '../x509/certificate-policy.js';
import {
  buildClientIdentity,
  type CertificateIdentity,
  type ForwardedCaller,
  type IdentitySource,
  type RefusedCertificate,
} from '../x509/client-identity.js';
import { forwardedCallerFrom } from '../xfcc/forwarded-caller.js';
import { parseXfcc, XFCC_HEADER } from '../xfcc/xfcc.js';
import { ForwardedOutcomeCache } from '../cache/forwarded-outcome-cache.js';
import { OcspChecker } from '../ocsp/ocsp-checker.js';
import { TrustedProxies } from '../proxy/trusted-proxies.js';
import { CrlSet } from '../x509/crl-set.js';
import { FingerprintPins } from '../x509/fingerprint-pins.js';
import { decodeForwardedCertificate } from '../proxy/forwarded-certificate.js';
import { compileIdentityPatterns, type IdentityMatcher } from '../x509/identity-pattern.js';
import { parsePemCertificates } from '../x509/pem.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { errorCode } from '../x509/tls-verify-error.js';
import { TrustStore } from '../x509/trust-store.js';
import { JudgedCertificates } from '../cache/judged-certificates.js';
import { ClientCertificateException } from './client-certificate.exception.js';
import { hasHeader, rawRequest, type HttpRequest } from './http-request.js';
import type { CertificateHeaderFormat, MtlsAuthModuleOptions } from './mtls-auth-options.js';
import { InjectMtlsAuthOptions } from './mtls-auth.module-definition.js';
import {
  bindRequest,
  connectionEntry,
  createEntry,
  requestEntry,
  currentEntry,
  installRequestUserAccessor,
  refuseEntry,
  rememberConnection,
  trustOcspUntil,
  type AuthEntry,
  type TrustGeneration,
} from '../cache/request-identity.js';

/** Distinct callers remembered per path when `callerCacheSize` is not set. */
const DEFAULT_CALLER_CACHE_SIZE = 10_000;

/**
 * Authenticates callers by client certificate: resolves the module options once (trust store,
 * CRLs, pins, allowlist, trusted proxies) and turns a request into an {@link AuthOutcome}.
 *
 * - Direct TLS: a connection's identity cannot change while it is open (renegotiation is
 *   refused), so the outcome is computed on its first request and remembered for the
 *   connection; later keep-alive requests pay two comparisons (trust generation, validity).
 * - Forwarded: only from a trusted proxy (see {@link TrustedProxies}); the header's certificate is validated
 *   again here (chain, validity, usage, CRL) and the outcome remembered by header value in a
 *   bounded LRU. Nothing is remembered per proxy connection: one upstream keep-alive connection
 *   carries many callers.
 *
 * {@link invalidate} bumps the trust generation, so every connection and header is judged again.
 */
@Injectable()
export class ClientCertAuthenticator implements TrustGeneration {
  private readonly logger = new Logger('MtlsAuth');
  private policy: CertificatePolicy;
  private currentGeneration = 0;
  private readonly proxies: TrustedProxies;
  private readonly forwarded: ForwardedOutcomeCache<AuthEntry>;
  private readonly judged: JudgedCertificates<AuthEntry>;
  /** The trust generation each TLS connection's handshake happened under. */
  private readonly handshakes = new WeakMap<Socket, number>();
  private readonly certHeader: string;
  private readonly verifyHeader: string;
  private readonly headerFormat: CertificateHeaderFormat;
  /**
   * Authentication outcomes so far, by result, reason code and source: plain counters on the
   * request path, read by the metrics endpoint when it is scraped.
   */
  readonly outcomes = new Map<string, number>();
  /** Successful authentications by source (kept apart from {@link outcomes}: counted per request). */
  readonly successes = { tls: 0, forwarded: 0 };
  /** Service-wide allowlist; `undefined` = any authenticated caller. */
  allowedServices: IdentityMatcher | undefined;
  private trust: { ca: string | Buffer; crl: string | Buffer | undefined };
  private pins: readonly string[];
  private readonly forwarders: IdentityMatcher | undefined;
  private readonly ocsp: OcspChecker | undefined;

  constructor(@InjectMtlsAuthOptions() private readonly options: MtlsAuthModuleOptions) {
    const cacheSize = options.callerCacheSize ?? DEFAULT_CALLER_CACHE_SIZE;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new Error(
        `MtlsAuthModule: callerCacheSize must be a whole number of at least 1 (got ${String(cacheSize)})`,
      );
    }
    this.forwarded = new ForwardedOutcomeCache<AuthEntry>(cacheSize);
    this.judged = new JudgedCertificates<AuthEntry>(cacheSize);
    this.trust = { ca: options.trustedCa, crl: options.crl };
    this.pins = options.allowedFingerprints ?? [];
    this.policy = this.createPolicy(options.trustedCa, options.crl);
    this.allowedServices = compileIdentityPatterns(options.allowedServices ?? []);
    this.forwarders = compileIdentityPatterns(options.trustedForwarders ?? []);
    this.ocsp =
      options.ocsp === 'soft' || options.ocsp === 'hard'
        ? new OcspChecker(options.ocsp, options.ocspUrl, options.ocspTimeoutMs ?? 2000)
        : undefined;
    this.proxies = new TrustedProxies(
      options.trustedProxies ?? [],
      options.trustedProxyIdentities ?? [],
      (socket) => this.proxyIdentity(socket),
      this,
    );
    this.certHeader = (options.certificateHeader ?? 'x-ssl-client-cert').toLowerCase();
    this.verifyHeader = (options.verifyHeader ?? 'x-ssl-client-verify').toLowerCase();
    this.headerFormat = options.certificateHeaderFormat ?? 'auto';
    installRequestUserAccessor();
  }

  /** How many callers' outcomes are remembered now, by source (each at most `callerCacheSize`). */
  get cachedCallers(): { readonly tls: number; readonly forwarded: number } {
    return { tls: this.judged.size, forwarded: this.forwarded.size };
  }

  /** Bumped by {@link invalidate}; entries of an older generation are stale. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** The headers a trusted proxy sets; from anyone else they are stripped and logged. */
  get forwardedHeaders(): readonly string[] {
    return [this.certHeader, this.verifyHeader];
  }

  /**
   * For a request that carries `x-forwarded-client-cert`: removes it when the caller may not name
   * original callers (no trusted certificate, or outside `trustedForwarders`), before anything
   * reads it; from a trusted forwarder it is decoded for the guards.
   */
  screenOriginalCallers(raw: IncomingMessage): void {
    this.judge(raw);
  }

  /**
   * The full decision for a request. Never throws for anything a client sends.
   */
  authenticate(request: HttpRequest): AuthOutcome {
    return this.judge(request).outcome;
  }

  /**
   * {@link authenticate}, then, when OCSP is on, the responder's word on a newly accepted
   * certificate (once per connection or forwarded header, until the answer's nextUpdate). The
   * strategy uses this; the guard's fast path only ever sees entries that went through it.
   */
  async authenticateAsync(request: HttpRequest): Promise<AuthOutcome> {
    const entry = this.judge(request);
    const outcome = entry.outcome;
    if (!this.ocsp || !outcome.ok || entry.ocspValidUntil !== undefined || !outcome.chain)
      return outcome;
    const answer = await this.ocsp.status(outcome.chain);
    if (answer.status === 'revoked' || (answer.status === 'unknown' && this.ocsp.mode === 'hard')) {
      refuseEntry(entry, {
        ok: false,
        code:
          answer.status === 'revoked' ? MtlsReasonCode.CertRevoked : MtlsReasonCode.CertUntrusted,
        identity: outcome.identity,
      });
    } else {
      trustOcspUntil(entry, answer.validUntil);
    }
    return entry.outcome;
  }

  /**
   * What is already known about the request's caller: its direct connection's remembered entry,
   * or, from a trusted proxy, the entry of the forwarded header (computed now if need be).
   * `undefined` for a direct connection not judged yet.
   */
  known(request: HttpRequest): AuthEntry | undefined {
    const raw = rawRequest(request);
    const connection = connectionEntry(raw.socket);
    if (connection !== undefined) {
      // A direct caller: its requests have entries of their own only if it is a trusted forwarder.
      if (!connection.delegates) return this.withOriginalCallers(raw, connection);
      return requestEntry(raw) ?? this.withOriginalCallers(raw, connection);
    }
    const bound = requestEntry(raw);
    if (bound) return bound;
    if (!this.isTrustedProxy(raw.socket)) return undefined;
    const entry = this.withOriginalCallers(raw, this.forwardedEntry(raw));
    bindRequest(raw, entry);
    return entry;
  }

  /**
   * Replaces the trusted CA bundle and CRLs (hot rotation). Everything is parsed first: on an
   * error this throws and the current trust stays in force. On success every connection and
   * forwarded header is judged again on its next request, so a certificate revoked in the new
   * CRL is refused even on a keep-alive connection opened before.
   *
   * @throws {Error} when the bundle or the CRLs cannot be used.
   */
  reloadTrust(trustedCa: string | Buffer, crl?: string | Buffer): void {
    const cas = parsePemCertificates(trustedCa.toString());
    if (cas.length === 0) throw new Error('the CA bundle holds no certificate');
    this.policy = this.createPolicy(trustedCa, crl);
    this.trust = { ca: trustedCa, crl };
    this.invalidate();
  }

  /**
   * Replaces the service-wide allowlist and the pins (hot change of `MTLS_ACCESS_FILE`). Both are
   * compiled before either is applied; every caller is judged again on its next request.
   *
   * @throws {Error} when a pattern or pin is invalid (the current rules stay in force).
   */
  reloadAccess(rules: {
    allowedServices: readonly string[];
    allowedFingerprints: readonly string[];
  }): void {
    const allowed = compileIdentityPatterns(rules.allowedServices);
    const previousPins = this.pins;
    this.pins = rules.allowedFingerprints;
    try {
      this.policy = this.createPolicy(this.trust.ca, this.trust.crl);
    } catch (error) {
      this.pins = previousPins;
      throw error;
    }
    this.allowedServices = allowed;
    this.invalidate();
  }

  /** Counts one authentication outcome (`result|code|source`). */
  count(key: string): void {
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
  }

  /** Counts a successful authentication: a field increment, as it happens on every request. */
  countSuccess(source: IdentitySource): void {
    if (source === 'tls') this.successes.tls++;
    else this.successes.forwarded++;
  }

  /** Forgets every remembered outcome: call when trust configuration changes. */
  invalidate(): void {
    this.currentGeneration++;
    this.forwarded.clear();
    this.judged.clear();
  }

  /**
   * Records that a TLS handshake has just completed under the current trust (the module calls it
   * on the server's `secureConnection`). A connection not recorded counts as current.
   */
  recordHandshake(socket: Socket): void {
    this.handshakes.set(socket, this.currentGeneration);
  }

  /** `true` when some peer may forward certificates (`trustedProxies` or `trustedProxyIdentities`). */
  get forwardingEnabled(): boolean {
    return this.proxies.enabled;
  }

  /**
   * `true` when the socket's peer may forward certificates: in `trustedProxies` and, when
   * `trustedProxyIdentities` is set, proving a matching identity with its own client certificate.
   */
  isTrustedProxy(socket: Socket): boolean {
    return this.proxies.isTrusted(socket);
  }

  /**
   * Logs a refusal once, structured (reason code, CN, SHA-256 fingerprint, peer address; never a
   * key or a full header), and returns the exception to throw.
   */
  reject(
    request: HttpRequest,
    code: MtlsReasonCode,
    identity?: RefusedCertificate,
  ): ClientCertificateException {
    const raw = rawRequest(request);
    const source = identity?.source ?? (this.isTrustedProxy(raw.socket) ? 'forwarded' : 'tls');
    this.count(`rejected|${code}|${source}`);
    this.logger.warn({
      msg: 'client refused',
      event: 'mtls.rejected',
      code,
      cn: identity?.commonName ?? null,
      fingerprint256: identity?.fingerprint256 ?? null,
      source,
      peer: raw.socket.remoteAddress ?? null,
      method: raw.method,
      url: raw.url?.slice(0, 200),
    });
    return new ClientCertificateException(code);
  }

  /**
   * The entry that answers for `request`, judged now if need be (synchronously: OCSP, when on, is
   * asked by {@link authenticateAsync}). A direct connection's entry is shared by every connection
   * that presents the same certificate under the same trust.
   */
  judge(request: HttpRequest): AuthEntry {
    const raw = rawRequest(request);
    const known = this.known(raw);
    if (known) return known;
    const entry = rememberConnection(raw.socket, this.judgeConnection(raw.socket as TLSSocket));
    return this.withOriginalCallers(raw, entry);
  }

  /**
   * Section 5 of the design: a caller whose own certificate matches `trustedForwarders` may say,
   * in `x-forwarded-client-cert`, on whose behalf it calls. The request then gets its own entry,
   * whose identity carries `forwardedFor` (original caller first). From anyone else the header is
   * ignored and logged; a malformed one from a trusted forwarder is refused.
   */
  private withOriginalCallers(raw: IncomingMessage, entry: AuthEntry): AuthEntry {
    if (!hasHeader(raw, XFCC_HEADER)) return entry;
    const header = raw.headers[XFCC_HEADER];
    if (header === undefined || this.certHeader === XFCC_HEADER) return entry;
    const identity = entry.outcome.ok ? entry.outcome.identity : undefined;
    if (!identity || !this.forwarders?.(identity)) {
      // Removed, not only ignored: nothing downstream can read it by mistake.
      delete raw.headers[XFCC_HEADER];
      this.logger.warn({
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
      return this.transient({ ok: false, code: MtlsReasonCode.CertMalformed, identity });
    }
    const own = this.transient({
      ok: true,
      identity: Object.freeze({ ...identity, forwardedFor }),
    });
    bindRequest(raw, own);
    return own;
  }

  private forwardedEntry(raw: IncomingMessage): AuthEntry {
    const verdict = headerValue(raw, this.verifyHeader);
    if (verdict !== undefined && verdict !== 'SUCCESS') {
      // nginx: NONE without a certificate, FAILED:<reason> when its own check failed.
      const code =
        verdict === '' || verdict === 'NONE'
          ? MtlsReasonCode.CertMissing
          : MtlsReasonCode.CertUntrusted;
      return this.transient({ ok: false, code });
    }
    const value = headerValue(raw, this.certHeader);
    if (value === undefined || value === '')
      return this.transient({ ok: false, code: MtlsReasonCode.CertMissing });
    const cached = currentEntry(this.forwarded.get(value));
    if (cached) return cached;
    const entry = this.transient(this.evaluateForwarded(value));
    this.forwarded.set(value, entry);
    return entry;
  }

  private evaluateForwarded(value: string): AuthOutcome {
    const decoded = decodeForwardedCertificate(value, this.headerFormat);
    if (!decoded.ok) return { ok: false, code: MtlsReasonCode.CertMalformed };
    try {
      return this.policy.evaluateForwarded(decoded.certificate);
    } catch (cause) {
      this.logger.warn({ msg: 'forwarded certificate could not be read', err: cause });
      return { ok: false, code: MtlsReasonCode.CertMalformed };
    }
  }

  private transient(outcome: AuthOutcome): AuthEntry {
    return createEntry(this, outcome);
  }

  /**
   * Direct TLS. The handshake's verdict decides trust (see `CertificatePolicy.evaluateHandshake`),
   * and entries are shared across connections by certificate and verdict. A connection whose
   * handshake happened under trust that has changed since (a CA bundle or CRL reload) has a stale
   * verdict: its certificate is judged again in TypeScript, against the current trust, and its
   * entry is its own.
   */
  private judgeConnection(socket: TLSSocket): AuthEntry {
    if (!socket.encrypted || typeof socket.getPeerX509Certificate !== 'function') {
      return this.transient({ ok: false, code: MtlsReasonCode.CertMissing });
    }
    // Without a certificate Node reports UNABLE_TO_GET_ISSUER_CERT: ask for the certificate itself.
    const cert = socket.getPeerX509Certificate();
    if (!cert) return this.transient({ ok: false, code: MtlsReasonCode.CertMissing });
    if ((this.handshakes.get(socket) ?? this.currentGeneration) !== this.currentGeneration) {
      return this.connectionEntry(
        this.guarded(() =>
          this.withOcspChain(
            this.policy.evaluateForwarded(cert, 'tls', presentedChain(cert)),
            cert,
          ),
        ),
      );
    }
    const verdict = socket.authorized ? 'OK' : errorCode(socket.authorizationError);
    const known = this.judged.get(cert.fingerprint256, verdict);
    if (known) return known;
    const entry = this.connectionEntry(
      this.guarded(() =>
        this.withOcspChain(
          this.policy.evaluateHandshake(
            cert,
            { authorized: socket.authorized, error: socket.authorizationError },
            () => presentedChain(cert),
          ),
          cert,
        ),
      ),
    );
    this.judged.set(cert.fingerprint256, verdict, entry);
    return entry;
  }

  /** The entry of a direct caller: it may name original callers when it is a trusted forwarder. */
  private connectionEntry(outcome: AuthOutcome): AuthEntry {
    const delegates = outcome.ok && this.forwarders?.(outcome.identity) === true;
    return createEntry(this, outcome, delegates);
  }

  /** `judge()` for a certificate the handshake accepted but our parser does not: refused, logged. */
  private guarded(judge: () => AuthOutcome): AuthOutcome {
    try {
      return judge();
    } catch (cause) {
      this.logger.warn({ msg: 'client certificate could not be read', err: cause });
      return { ok: false, code: MtlsReasonCode.CertUntrusted };
    }
  }

  /** With OCSP on, an accepted outcome carries its chain: the request names the issuer. */
  private withOcspChain(outcome: AuthOutcome, cert: X509Certificate): AuthOutcome {
    if (!this.ocsp || !outcome.ok || outcome.chain) return outcome;
    const chain = this.policy.trustedChain(cert, presentedChain(cert));
    return chain ? { ...outcome, chain } : outcome;
  }

  /**
   * The identity a peer proves as a proxy: its certificate trusted as a direct caller's would be,
   * pins aside (they restrict callers, not proxies). `undefined` when it proves none.
   */
  private proxyIdentity(socket: TLSSocket): CertificateIdentity | undefined {
    const { outcome } = this.judgeConnection(socket);
    if (outcome.ok) return outcome.identity;
    if (outcome.code !== MtlsReasonCode.FingerprintForbidden) return undefined;
    const cert = socket.getPeerX509Certificate();
    return cert ? buildClientIdentity(cert, 'tls') : undefined;
  }

  private createPolicy(
    trustedCa: string | Buffer,
    crl: string | Buffer | undefined,
  ): CertificatePolicy {
    const cas = parsePemCertificates(trustedCa.toString());
    let revocation: CrlSet | undefined;
    if (crl !== undefined) {
      try {
        revocation = new CrlSet(crl.toString(), cas);
      } catch (cause) {
        throw new Error(`The CRL (MTLS_CRL_FILE) cannot be used: ${(cause as Error).message}`, {
          cause,
        });
      }
    }
    return new CertificatePolicy({
      trustStore: new TrustStore(cas),
      allowedTypes: this.options.allowedCertificateTypes ?? 'chained',
      pins: new FingerprintPins(this.pins),
      revocation,
    });
  }
}

/** The certificates the peer sent above its leaf (Node links them through `issuerCertificate`). */
function presentedChain(leaf: X509Certificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current = leaf.issuerCertificate;
  while (
    current &&
    chain.length < 10 &&
    !chain.some((c) => c.fingerprint256 === current?.fingerprint256)
  ) {
    chain.push(current);
    current = current.issuerCertificate;
  }
  return chain;
}

function headerValue(raw: IncomingMessage, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value.join(',') : value?.trim();
}
