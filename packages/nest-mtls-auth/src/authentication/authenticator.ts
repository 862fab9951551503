import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { AuthMetrics, type AuthMetricsSnapshot } from './auth-metrics.js';
import { DirectTlsJudge } from '../handshake/direct-tls-judge.js';
import { TrustConfiguration } from '../trust/trust-configuration.js';
import type { AuthEntry } from '../records/auth-entry.js';
import { logRecord } from './log-record.js';
import { Refusal } from './refusal.js';
import { CallerMemory } from '../records/caller-memory.js';
import { CoarseClock } from '../records/coarse-clock.js';
import { OcspChecker } from '../ocsp/ocsp-checker.js';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import { resolveMtlsAuthOptions } from '../options/resolve-options.js';
import { ForwardedJudge } from '../forwarded/forwarded-judge.js';
import { TrustedProxies } from '../forwarded/trusted-proxies.js';
import type { AuthOutcome } from '../x509/certificate-policy.js';
import {
  type CertificateIdentity,
  type IdentitySource,
  type RefusedCertificate,
} from '../x509/client-identity.js';
import type { CrlInfo } from '../x509/crl-set.js';
import type { TrustDomainCa } from '../x509/trust-domains.js';
import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { MtlsReasonCode, REASON_DESCRIPTIONS } from '../x509/reason-code.js';
import { OriginalCallers } from '../forwarded/original-callers.js';
import { XFCC_HEADER } from '../forwarded/xfcc.js';
import { rawRequest, type HttpRequest } from '../http/http-request.js';
import type { Enforcement } from '../options/mtls-auth-options.js';
import {
  CallerInventory,
  type CallerInventorySnapshot,
  type InventoryIdentity,
  type RouteTally,
} from '../records/caller-inventory.js';
import { RouteVerdict } from '../records/route-verdict.js';
import { BoundTokenVerifier, type BoundTokenVerdict } from '../tokens/bound-token-verifier.js';
import { bearerToken } from '../tokens/bearer-token.js';
import { authorizationVerdict, type AuthorizationVerdict, type RouteRule } from './route-rule.js';

/** Where the authenticator reports: a refusal or a warning, each one call with its fields. */
export interface AuthLog {
  warn(record: object): void;
}

/**
 * The application's authentication: turns a request into an outcome (an identity, or a reason
 * code), remembers it (see {@link CallerMemory}), and is what an application operates: hot
 * reloads of trust and access, {@link invalidate}, {@link metrics}. One per application.
 *
 * - Direct TLS: {@link DirectTlsJudge}, the handshake's verdict plus the policy.
 * - Forwarded: only from a trusted proxy ({@link TrustedProxies}), by {@link ForwardedJudge}.
 * - Delegation: a trusted forwarder's XFCC, by {@link OriginalCallers}.
 */
export class Authenticator {
  /** The fast path's state (guards read it). */
  readonly memory: CallerMemory;
  private readonly clock = new CoarseClock();
  private readonly trust: TrustConfiguration;
  private readonly direct: DirectTlsJudge;
  private readonly forwarded: ForwardedJudge;
  private readonly originalCallers: OriginalCallers;
  private readonly proxies: TrustedProxies;
  private readonly ocsp: OcspChecker | undefined;
  private readonly counters = new AuthMetrics();
  private readonly headers: readonly string[];
  /** A request can have an entry of its own: forwarded by a proxy, or XFCC from a forwarder. */
  private readonly requestEntries: boolean;
  /** Service-wide enforcement of authorization (`enforcement` option). */
  readonly enforcement: Enforcement;
  private readonly inventory: CallerInventory;
  private readonly boundTokens: BoundTokenVerifier | undefined;
  private readonly boundTokenAudience: string | undefined;

  /**
   * @param log where refusals and warnings go, one call each (the Nest face gives Nest's logger).
   * @throws {MtlsAuthOptionsError} naming every invalid option.
   */
  constructor(
    options: MtlsAuthModuleOptions,
    private readonly log: AuthLog,
  ) {
    const o = resolveMtlsAuthOptions(options);
    const warn = (fields: Record<string, unknown>) =>
      log.warn(logRecord({ msg: 'mtls warning', ...fields }));
    this.memory = new CallerMemory(this.clock);
    this.enforcement = o.enforcement;
    this.inventory = new CallerInventory(o.callerInventorySize, this.clock);
    this.boundTokens = o.boundToken ? new BoundTokenVerifier(o.boundToken) : undefined;
    this.boundTokenAudience = o.boundToken?.audience;
    this.trust = new TrustConfiguration(
      o,
      o,
      o.allowedCertificateTypes,
      o.securityLevel,
      () => {
        this.direct.clear();
        this.forwarded.clear();
      },
      o.enforcement === 'report-only',
    );
    this.ocsp = o.ocsp === 'off' ? undefined : new OcspChecker(o.ocsp, o.ocspUrl, o.ocspTimeoutMs);
    this.direct = new DirectTlsJudge(
      this.trust,
      o.trustedForwarders,
      this.ocsp !== undefined,
      o.callerCacheSize,
      warn,
    );
    this.forwarded = new ForwardedJudge(
      this.trust,
      this.memory,
      {
        certificate: o.certificateHeader,
        verify: o.verifyHeader,
        format: o.certificateHeaderFormat,
        chain: o.certificateChainHeader,
        successValues: o.verifySuccessValues,
      },
      o.callerCacheSize,
      warn,
    );
    this.originalCallers = new OriginalCallers(
      this.trust,
      this.memory,
      o.trustedForwarders,
      o.certificateHeader === XFCC_HEADER,
      warn,
    );
    this.proxies = new TrustedProxies(
      o.trustedProxies,
      o.trustedProxyIdentities,
      (socket) => this.proxyIdentity(socket),
      this.trust,
      this.clock,
    );
    this.headers = [o.certificateHeader, o.verifyHeader, o.certificateChainHeader].filter(
      (h): h is string => h !== undefined,
    );
    this.requestEntries = this.proxies.enabled || o.trustedForwarders !== undefined;
  }

  /** Stops the coarse clock's timer (the module calls it when the application closes). */
  close(): void {
    this.clock.stop();
    void this.boundTokens?.close();
  }

  /** How many callers' outcomes are remembered now, by source (each at most `callerCacheSize`). */
  get cachedCallers(): { readonly tls: number; readonly forwarded: number } {
    return { tls: this.direct.size, forwarded: this.forwarded.size };
  }

  /** Authentication outcomes so far (for a metrics endpoint). */
  metrics(): AuthMetricsSnapshot {
    return this.counters.snapshot();
  }

  /** Service-wide allowlist; `undefined` = any authenticated caller. */
  get allowedServices(): IdentityMatcher | undefined {
    return this.trust.allowedServices;
  }

  /**
   * The CRLs in force (the last loaded, at start-up or by {@link reloadTrust}), one per CA, with
   * their thisUpdate and nextUpdate. A CRL past its nextUpdate refuses every certificate whose
   * chain runs through its CA (OpenSSL's handshake, and this module for forwarded certificates);
   * one before its thisUpdate, OpenSSL's handshake does. An application should tell its operators.
   */
  get revocationLists(): readonly CrlInfo[] {
    return this.trust.revocationLists;
  }

  /** The CAs of each SPIFFE trust domain's bundle in force (`spiffeBundles`); none without. */
  get trustDomainCas(): readonly TrustDomainCa[] {
    return this.trust.trustDomains?.anchors ?? [];
  }

  /**
   * The headers a trusted proxy sets (certificate, verdict, chain); from anyone else they are
   * stripped and logged.
   */
  get forwardedHeaders(): readonly string[] {
    return this.headers;
  }

  /** `true` when some peer may forward certificates. */
  get forwardingEnabled(): boolean {
    return this.proxies.enabled;
  }

  /**
   * The entry that answers for `request`, judged now if need be (synchronously; OCSP, when on, is
   * asked by {@link authenticateAsync}).
   */
  judge(request: HttpRequest): AuthEntry {
    const raw = rawRequest(request);
    const known = this.known(raw);
    if (known) return known;
    const entry = this.memory.rememberConnection(
      raw.socket,
      this.direct.judge(raw.socket as TLSSocket),
    );
    return this.originalCallers.apply(raw, entry);
  }

  /**
   * {@link judge}, then, when OCSP is on, the responder's word on a newly accepted certificate
   * (once per certificate or forwarded header, until the answer's nextUpdate).
   */
  async authenticateAsync(request: HttpRequest): Promise<AuthOutcome> {
    return (await this.judgeAsync(request)).outcome;
  }

  /**
   * The caller of `request` when it is authenticated (OCSP included) and passes the service-wide
   * allowlist, as the guards judge it (the allowlist's verdict remembered on the entry).
   */
  async allowedCaller(request: HttpRequest): Promise<CertificateIdentity | undefined> {
    const entry = await this.judgeAsync(request);
    const { outcome } = entry;
    if (!outcome.ok) return undefined;
    const global = this.trust.allowedServices;
    return !global || entry.allowedBy(outcome.identity, global) ? outcome.identity : undefined;
  }

  private async judgeAsync(request: HttpRequest): Promise<AuthEntry> {
    const entry = this.judge(request);
    if (this.awaitsOcsp(entry)) await this.askOcsp(entry);
    return entry;
  }

  /** `true` when `entry` was accepted and the OCSP responder has yet to be asked about it. */
  awaitsOcsp(entry: AuthEntry): boolean {
    const { outcome } = entry;
    return (
      this.ocsp !== undefined && outcome.ok && entry.ocspValidUntil === undefined && !!outcome.chain
    );
  }

  /** Asks the OCSP responder about an accepted entry and records its answer on the entry. */
  async askOcsp(entry: AuthEntry): Promise<void> {
    const { outcome } = entry;
    if (!this.ocsp || !outcome.ok || !outcome.chain) return;
    const answer = await this.ocsp.status(outcome.chain);
    if (answer.status === 'revoked' || (answer.status === 'unknown' && this.ocsp.mode === 'hard')) {
      const code =
        answer.status === 'revoked' ? MtlsReasonCode.CertRevoked : MtlsReasonCode.CertUntrusted;
      entry.refuse({ ok: false, code, identity: outcome.identity });
    } else {
      entry.trustOcspUntil(answer.validUntil);
    }
  }

  /** Removes a non-forwarder's XFCC before anything reads it (see `ForwardedHeaderFilter`). */
  screenOriginalCallers(raw: IncomingMessage): void {
    this.judge(raw);
  }

  /** Counts an accepted request: a field increment, as it happens on every request. */
  accepted(source: IdentitySource): void {
    this.counters.accept(source);
  }

  /**
   * Replaces the trusted CA bundle, the CRLs and the SPIFFE trust domains' bundles (hot
   * rotation). Everything is parsed first: on an error this throws and the current trust stays in
   * force. On success every caller is judged again on its next request, so a certificate revoked
   * in the new CRL is refused even on a keep-alive connection opened before.
   *
   * @param spiffeBundles trust domain -> bundle, as the `spiffeBundles` option (omitted: none).
   * @throws {Error} when the bundle, the trust domains' bundles or the CRLs cannot be used.
   */
  reloadTrust(
    trustedCa: string | Buffer,
    crl?: string | Buffer,
    spiffeBundles?: Readonly<Record<string, string | Buffer>>,
  ): void {
    this.trust.reloadTrust(trustedCa, crl, spiffeBundles);
  }

  /**
   * Replaces the service-wide allowlist and the pins (hot change of who may call). Both are
   * compiled before either is applied; every caller is judged again on its next request.
   *
   * @throws {Error} when a pattern or pin is invalid (the current rules stay in force).
   */
  reloadAccess(rules: {
    allowedServices: readonly string[];
    allowedFingerprints: readonly string[];
  }): void {
    this.trust.reloadAccess(rules.allowedServices, rules.allowedFingerprints);
  }

  /** Forgets every remembered outcome: call when anything trust depends on changes. */
  invalidate(): void {
    this.trust.invalidate();
  }

  /** Records the trust generation of a handshake (the module calls it on `secureConnection`). */
  recordHandshake(socket: Socket): void {
    this.direct.recordHandshake(socket);
  }

  /** `true` when the socket's peer may forward certificates. */
  isTrustedProxy(socket: Socket): boolean {
    return this.proxies.isTrusted(socket);
  }

  /**
   * Logs a refusal once, structured (reason code, CN, SHA-256 fingerprint, peer address; never a
   * key or a full header), counts it, and returns it (the Nest face throws it as a 401/403).
   */
  reject(
    request: HttpRequest,
    code: MtlsReasonCode,
    identity?: RefusedCertificate,
    detail?: string,
  ): Refusal {
    const raw = rawRequest(request);
    const source = identity?.source ?? (this.isTrustedProxy(raw.socket) ? 'forwarded' : 'tls');
    this.counters.refuse(code, source);
    this.log.warn(
      logRecord({
        msg: 'client refused',
        event: 'mtls.rejected',
        code,
        cn: identity?.commonName ?? null,
        fingerprint256: identity?.fingerprint256 ?? null,
        source,
        peer: raw.socket.remoteAddress ?? null,
        method: raw.method,
        url: raw.url?.slice(0, 200),
        ...(detail === undefined ? {} : { detail }),
      }),
    );
    return new Refusal(code, detail, identity);
  }

  /**
   * Authorization of a request its entry authenticated, on the route `rule` stands for: the pins
   * (report-only only: enforced pins refuse in authentication), the service-wide allowlist, the
   * route's `@AllowServices()`. The verdict is remembered on the entry per route, so a known
   * caller costs a lookup and a few increments (the inventory's counts), no matching and no
   * allocation. Report-only lets a would-be refusal through: logged once per caller and route
   * (`mtls.would_reject`) and counted.
   *
   * @returns `undefined` to let the request through, or its refusal (logged and counted).
   */
  authorize(request: HttpRequest, entry: AuthEntry, rule: RouteRule): Refusal | undefined {
    const { outcome } = entry;
    if (!outcome.ok) return this.reject(request, outcome.code, outcome.identity);
    let verdict = entry.verdictOn(rule);
    if (verdict === undefined) {
      verdict = this.decide(entry, outcome.identity, rule);
      entry.rememberVerdict(rule, verdict);
    }
    let tally = verdict.tally;
    if (tally?.record.evicted) tally = verdict.tally = this.tallyOf(outcome.identity, rule);
    const { code } = verdict;
    if (code === undefined) {
      if (tally) this.inventory.count(tally, 'allowed');
      return undefined;
    }
    if (verdict.enforced) {
      if (tally) this.inventory.count(tally, 'refused');
      return this.reject(request, code, outcome.identity);
    }
    if (tally) this.inventory.count(tally, 'wouldRefuse');
    if (verdict.wouldReject) verdict.wouldReject.count++;
    if (tally ? tally.wouldRefuse === 1 : !verdict.reported) {
      verdict.reported = true;
      this.reportWouldReject(request, code, outcome.identity, rule);
    }
    return undefined;
  }

  /**
   * Counts in the inventory a request refused with a 403 before authorization (pins, the
   * strategy's `validate()`), on the route `rule` stands for.
   */
  tallyRefusal(rule: RouteRule, refusal: Refusal): void {
    if (refusal.identity === undefined || REASON_DESCRIPTIONS[refusal.code].status !== 403) return;
    const tally = this.tallyOf(refusal.identity, rule);
    if (tally) this.inventory.count(tally, 'refused');
  }

  /** Every caller identity seen on a guarded route, most recent first (`GET /callers`). */
  callers(): CallerInventorySnapshot {
    return this.inventory.snapshot();
  }

  /** The realm of a bound-token challenge (`WWW-Authenticate`): the configured audience. */
  get boundTokenRealm(): string {
    return this.boundTokenAudience ?? 'mtls';
  }

  /** `true` when certificate-bound tokens can be checked (the `boundToken` option is set). */
  get boundTokensConfigured(): boolean {
    return this.boundTokens !== undefined;
  }

  /**
   * RFC 8705: the request's `Authorization: Bearer` token must be a valid access token of the
   * configured issuer and audience, bound (`cnf["x5t#S256"]`) to the certificate `identity`, which
   * authenticated this request (directly or forwarded). Synchronous for a token verified before.
   *
   * @returns `undefined` when it is, else the refusal (401 `MTLS_TOKEN_*`, logged and counted).
   */
  checkBoundToken(
    request: HttpRequest,
    identity: CertificateIdentity,
  ): Refusal | undefined | Promise<Refusal | undefined> {
    const raw = rawRequest(request);
    const token = bearerToken(raw.headers.authorization);
    if (token === undefined) return this.reject(request, MtlsReasonCode.TokenMissing, identity);
    if (token === null) {
      return this.reject(
        request,
        MtlsReasonCode.TokenInvalid,
        identity,
        'the Authorization header is not one bearer token',
      );
    }
    if (!this.boundTokens) {
      return this.reject(
        request,
        MtlsReasonCode.TokenInvalid,
        identity,
        'this service has no authorization server configured to verify tokens',
      );
    }
    const verdict = this.boundTokens.verify(token, identity.fingerprint256);
    if (verdict instanceof Promise) {
      return verdict.then((settled) => this.tokenVerdict(request, identity, settled));
    }
    return this.tokenVerdict(request, identity, verdict);
  }

  private tokenVerdict(
    request: HttpRequest,
    identity: CertificateIdentity,
    verdict: BoundTokenVerdict,
  ): Refusal | undefined {
    if (verdict.ok) return undefined;
    return this.reject(request, verdict.code, identity, verdict.reason);
  }

  private decide(entry: AuthEntry, identity: CertificateIdentity, rule: RouteRule): RouteVerdict {
    const outcome = entry.outcome as AuthOutcome & { ok: true };
    const global = this.allowedServices;
    const passesService = !global || entry.allowedBy(identity, global);
    const { code, enforced } = authorizationVerdict(outcome, passesService, rule, this.enforcement);
    const counter =
      code !== undefined && !enforced ? this.counters.wouldReject(code, rule.route) : undefined;
    return new RouteVerdict(code, enforced, this.tallyOf(identity, rule), counter);
  }

  /**
   * The guards' verdict on a certificate, without a request (`npm run policy`): authentication
   * as for a forwarded certificate (the verdict a direct one gets too: the two are held equal),
   * then, when it passes, {@link authorizationVerdict} on `rule`.
   */
  judgeCertificate(
    certificate: X509Certificate,
    presented: readonly X509Certificate[],
    rule: RouteRule,
  ): { readonly outcome: AuthOutcome; readonly verdict: AuthorizationVerdict | undefined } {
    const outcome = this.trust.policy.evaluateForwarded(certificate, 'tls', presented);
    if (!outcome.ok) return { outcome, verdict: undefined };
    const global = this.allowedServices;
    const passesService = !global || global(outcome.identity);
    return {
      outcome,
      verdict: authorizationVerdict(outcome, passesService, rule, this.enforcement),
    };
  }

  private tallyOf(identity: InventoryIdentity, rule: RouteRule): RouteTally | undefined {
    return this.inventory.recordOf(identity)?.tally(rule.route, rule.controller);
  }

  private reportWouldReject(
    request: HttpRequest,
    code: MtlsReasonCode,
    identity: CertificateIdentity,
    rule: RouteRule,
  ): void {
    const raw = rawRequest(request);
    this.log.warn(
      logRecord({
        msg: 'client would be refused (report-only)',
        event: 'mtls.would_reject',
        code,
        route: rule.route,
        cn: identity.commonName,
        spiffeId: identity.spiffeId,
        fingerprint256: identity.fingerprint256,
        source: identity.source,
        peer: raw.socket.remoteAddress ?? null,
      }),
    );
  }

  /**
   * What is already known about the request's caller: its direct connection's entry, or, from a
   * trusted proxy, the forwarded header's (judged now if need be). `undefined` for a direct
   * connection not judged yet.
   */
  private known(raw: IncomingMessage): AuthEntry | undefined {
    const connection = this.memory.connection(raw.socket);
    if (connection !== undefined) {
      // A direct caller: its requests have entries of their own only if it is a trusted forwarder.
      if (!connection.delegates) return this.originalCallers.apply(raw, connection);
      return this.memory.request(raw) ?? this.originalCallers.apply(raw, connection);
    }
    // A direct connection not judged yet (most new connections): one lookup, not three.
    if (!this.requestEntries) return undefined;
    const bound = this.memory.request(raw);
    if (bound) return bound;
    if (!this.isTrustedProxy(raw.socket)) return undefined;
    const entry = this.originalCallers.apply(raw, this.forwarded.judge(raw));
    this.memory.bindRequest(raw, entry);
    return entry;
  }

  /**
   * The identity a peer proves as a proxy: its certificate trusted as a direct caller's would be,
   * pins aside (they restrict callers, not proxies). `undefined` when it proves none.
   */
  private proxyIdentity(socket: TLSSocket): CertificateIdentity | undefined {
    const { outcome } = this.direct.judgeEarly(socket);
    return outcome.ok ? outcome.identity : outcome.provenIdentity;
  }
}
