import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef, ModulesContainer, Reflector } from '@nestjs/core';
import type { CallerInventorySnapshot } from '../records/caller-inventory.js';
import type { MtlsAuthModuleOptions } from '../options/mtls-auth-options.js';
import { accessMatrix, type AccessMatrix, type PolicyCaller } from './access-matrix.js';
import { ClientCertStrategy } from './client-cert.strategy.js';
import { MTLS_AUTH_OPTIONS } from './mtls-auth.constants.js';
import type { AuthMetricsSnapshot } from '../authentication/auth-metrics.js';
import type { HttpRequest } from '../http/http-request.js';
import type { ClientIdentity } from '../x509/client-identity.js';
import type { CrlInfo } from '../x509/crl-set.js';
import type { TrustDomainCa } from '../x509/trust-domains.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';

/**
 * What an application operates on the module (inject it): hot reloads of trust and access, a
 * full re-judgment of every caller, counts for metrics, the CRLs in force, and the one question
 * a route outside the guards may ask (is this request's caller let in?). Everything else of the
 * authentication stays internal.
 */
@Injectable()
export class MtlsAuthService {
  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    // Who calls and who may call: the application's routes, options and strategy.
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Inject(MTLS_AUTH_OPTIONS) private readonly options: MtlsAuthModuleOptions,
  ) {}

  /**
   * Replaces the trusted CA bundle and CRLs (hot rotation). Everything is parsed first: on an
   * error this throws and the current trust stays in force. On success every caller is judged
   * again on its next request, so a certificate revoked in the new CRL is refused even on a
   * keep-alive connection opened before. `spiffeBundles` replaces the SPIFFE trust domains'
   * bundles (PEM or JWKS, by trust domain) when given. Give the TLS server the same material
   * (`mtlsServerOptions()` and `server.setSecureContext()`).
   *
   * @throws {Error} when the bundle or the CRLs cannot be used.
   */
  reloadTrust(
    trustedCa: string | Buffer,
    crl?: string | Buffer,
    spiffeBundles?: Readonly<Record<string, string | Buffer>>,
  ): void {
    this.authenticator.reloadTrust(trustedCa, crl, spiffeBundles);
  }

  /**
   * Replaces the service-wide allowlist and the pins (hot change of who may call). Both are
   * compiled before either is applied; every caller is judged again on its next request.
   *
   * @throws {Error} when a pattern or pin is invalid (the current rules stay in force).
   */
  reloadAccess(rules: {
    readonly allowedServices: readonly string[];
    readonly allowedFingerprints: readonly string[];
  }): void {
    this.authenticator.reloadAccess(rules);
  }

  /** Forgets every remembered outcome: call when anything trust depends on changes. */
  invalidate(): void {
    this.authenticator.invalidate();
  }

  /** Authentication outcomes so far: accepted by source, refused by code and source. */
  metrics(): AuthMetricsSnapshot {
    return this.authenticator.metrics();
  }

  /** How many callers' outcomes are remembered now, by source (each at most `callerCacheSize`). */
  get cachedCallers(): { readonly tls: number; readonly forwarded: number } {
    return this.authenticator.cachedCallers;
  }

  /**
   * The CRLs in force (the last loaded), with their issuer, thisUpdate and nextUpdate. A CRL past
   * its nextUpdate refuses every certificate whose chain runs through its CA (in the handshake,
   * and here for forwarded certificates): tell your operators.
   */
  get revocationLists(): readonly CrlInfo[] {
    return this.authenticator.revocationLists;
  }

  /**
   * The CAs of each SPIFFE trust domain's bundle in force (`spiffeBundles`, after reloads too),
   * for an application to watch their expiry as it watches `trustedCa`'s; none without bundles.
   */
  get trustDomainCas(): readonly TrustDomainCa[] {
    return this.authenticator.trustDomainCas;
  }

  /**
   * The caller of `request` if the guards would let it through as far as the service goes:
   * authenticated (OCSP included, when on) and accepted by the service-wide allowlist. For a
   * `@Public()` route that shows more to trusted callers (health details, say). Never throws for
   * anything a client sends.
   */
  async allowedCaller(request: HttpRequest): Promise<ClientIdentity | undefined> {
    return this.authenticator.allowedCaller(request);
  }

  // Rolling policy out: who calls, who may call.

  /**
   * Who calls this service: every caller identity seen on a guarded route (CN, SPIFFE ID,
   * fingerprint, subject), first and last seen, requests, and per route how many were allowed,
   * refused and would have been refused (report-only); the most recently seen
   * `callerInventorySize`, most recent first. Operational data, reset on restart.
   */
  callers(): CallerInventorySnapshot {
    return this.authenticator.callers();
  }

  /**
   * Who may call what: every route of the application by every caller in `callers`, as the guards
   * decide it (the certificate policy, the service-wide allowlist and pins, the strategy's
   * `validate()`, each route's `@AllowServices()` and enforcement, `@RequireBoundToken()`), without a
   * request; `text` is the table a committed snapshot holds (`npm run policy`, `accessPolicy()`).
   *
   * @param options.trustedCa judge the callers against this CA instead (callers made up for the
   *   occasion, issued by a CA of their own).
   */
  accessMatrix(
    callers: readonly PolicyCaller[],
    options: { readonly trustedCa?: string | Buffer } = {},
  ): Promise<AccessMatrix> {
    const strategy = this.moduleRef.get(ClientCertStrategy, { strict: false });
    return accessMatrix(
      {
        modules: this.modules,
        reflector: this.reflector,
        authenticator: this.authenticator,
        options: this.options,
        validate: (identity) => strategy.validate(identity),
      },
      callers,
      options,
    );
  }
}
