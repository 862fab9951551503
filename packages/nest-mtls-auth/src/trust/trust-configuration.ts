import type { AllowedCertificateTypes } from '../options/mtls-auth-options.js';
import {
  resolveAccess,
  resolveTrust,
  type ResolvedAccess,
  type ResolvedTrust,
} from '../options/resolve-options.js';
import type { TrustGeneration } from '../records/auth-entry.js';
import { CertificatePolicy } from '../x509/certificate-policy.js';
import type { CrlInfo } from '../x509/crl-set.js';
import type { IdentityMatcher } from '../allowlist/identity-pattern.js';
import { TrustStore } from '../x509/trust-store.js';

/** The generation of trust an application starts with; every change counts up from it. */
export const FIRST_GENERATION = 0;

/**
 * The trust an application judges callers by, and its generation: the CA bundle and CRLs, the
 * pins and the service-wide allowlist, compiled into a {@link CertificatePolicy}. Every change
 * (a reload, {@link invalidate}) bumps the generation, which makes every remembered outcome stale.
 * A reload parses everything first: on an error it throws and the current trust stays in force.
 */
export class TrustConfiguration implements TrustGeneration {
  private current = FIRST_GENERATION;
  private trust: ResolvedTrust;
  /** The trust's CAs indexed for path building: made when the trust changes, not the access. */
  private store: TrustStore;
  private access: ResolvedAccess;
  private compiled: CertificatePolicy;

  constructor(
    trust: ResolvedTrust,
    access: ResolvedAccess,
    private readonly allowedTypes: AllowedCertificateTypes,
    private readonly securityLevel: number,
    private readonly onChange: () => void,
    /** Report-only enforcement: pins report instead of refusing (see `CertificatePolicy`). */
    private readonly pinsReportOnly = false,
  ) {
    this.trust = trust;
    this.store = new TrustStore(trust.cas);
    this.access = access;
    this.compiled = this.compile();
  }

  get generation(): number {
    return this.current;
  }

  get policy(): CertificatePolicy {
    return this.compiled;
  }

  /** The CRLs in force, one per CA (empty without CRLs). */
  get revocationLists(): readonly CrlInfo[] {
    return this.trust.revocation?.lists ?? [];
  }

  /** Service-wide allowlist; `undefined` = any authenticated caller. */
  get allowedServices(): IdentityMatcher | undefined {
    return this.access.allowedServices;
  }

  /** The SPIFFE trust domains in force and their rule (`undefined` without `spiffeBundles`). */
  get trustDomains(): ResolvedTrust['trustDomains'] {
    return this.trust.trustDomains;
  }

  /** @throws {Error} when the bundle, the trust domains' bundles or the CRLs cannot be used. */
  reloadTrust(
    trustedCa: string | Buffer,
    crl?: string | Buffer,
    spiffeBundles?: Readonly<Record<string, string | Buffer>>,
  ): void {
    const trust = resolveTrust(trustedCa, crl, spiffeBundles);
    const store = new TrustStore(trust.cas);
    this.trust = trust;
    this.store = store;
    this.compiled = this.compile();
    this.invalidate();
  }

  /** @throws {Error} when a pattern or pin is invalid. */
  reloadAccess(allowedServices: readonly string[], allowedFingerprints: readonly string[]): void {
    this.access = resolveAccess(allowedServices, allowedFingerprints);
    this.compiled = this.compile();
    this.invalidate();
  }

  /** Forgets every remembered outcome: call when anything trust depends on changes. */
  invalidate(): void {
    this.current++;
    this.onChange();
  }

  private compile(): CertificatePolicy {
    return new CertificatePolicy({
      trustStore: this.store,
      allowedTypes: this.allowedTypes,
      pins: this.access.pins,
      revocation: this.trust.revocation,
      securityLevel: this.securityLevel,
      trustDomains: this.trust.trustDomains,
      pinsReportOnly: this.pinsReportOnly,
    });
  }
}
