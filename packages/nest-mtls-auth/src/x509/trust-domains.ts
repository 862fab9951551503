import type { X509Certificate } from 'node:crypto';
import { trustDomainOf } from './spiffe-id.js';

/** What the trust-domain rule says of a trusted certificate. */
export type TrustDomainVerdict =
  | {
      readonly ok: true;
      /** The trust domain whose bundle vouched for the SPIFFE ID; `null` for a certificate without one. */
      readonly trustDomain: string | null;
    }
  | {
      readonly ok: false;
      /** Why, naming the SPIFFE ID's trust domain and the one(s) of the CA its chain ends at. */
      readonly detail: string;
    };

/**
 * SPIFFE trust domains that cannot vouch for each other (the `spiffeBundles` option): each trust
 * domain's bundle holds the CAs that may issue its identities, and only those.
 *
 * - A certificate whose SPIFFE ID names trust domain T is trusted only when its verified chain
 *   ends at (is anchored by) a CA of T's bundle. A T identity anchored anywhere else (another
 *   domain's bundle, the plain trusted CA bundle) is refused, and so is one of a trust domain
 *   that has no bundle here: a domain vouches for its own identities, as SPIFFE asks and as
 *   Envoy's SPIFFE certificate validator does.
 * - A certificate without a SPIFFE ID is trusted only when its chain ends at a CA of the plain
 *   trusted bundle (`trustedCa`): a CA that is only in trust domains' bundles vouches for their
 *   SPIFFE IDs, not for names (`CN=billing-service` minted by a federated partner's CA).
 *
 * "Ends at" means the chain's last certificate, its trust anchor, as OpenSSL builds the path (a
 * bundle's intermediates complete paths, as in any bundle, but anchor none). A CA in several
 * bundles vouches for each of their domains. Pure: the caller gives the verified chain.
 *
 * @see https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md (section 5: validation against the trust domain's bundle)
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls_spiffe_validator_config.proto
 */
/** A CA of a SPIFFE trust domain's bundle. */
export interface TrustDomainCa {
  readonly trustDomain: string;
  readonly certificate: X509Certificate;
}

export class SpiffeTrustDomains {
  /** The configured trust domains, in the order given. */
  readonly domains: readonly string[];
  /** Every bundle's CAs, each once, in order: what the trust store and the handshake add. */
  readonly cas: readonly X509Certificate[];
  private readonly domainsByCa = new Map<string, string[]>();
  private readonly general: ReadonlySet<string>;
  /** Some bundle CA is in no plain bundle: a chain ending there identifies no named caller. */
  private readonly domainOnlyAnchors: boolean;

  /**
   * @param bundles trust domain name -> its CAs (already parsed and checked).
   * @param trusted the plain trusted CA bundle (`trustedCa`).
   */
  constructor(
    bundles: ReadonlyMap<string, readonly X509Certificate[]>,
    trusted: readonly X509Certificate[],
  ) {
    this.domains = [...bundles.keys()];
    this.general = new Set(trusted.map((ca) => ca.fingerprint256));
    const cas: X509Certificate[] = [];
    for (const [domain, certs] of bundles) {
      for (const ca of certs) {
        const known = this.domainsByCa.get(ca.fingerprint256);
        if (known === undefined) {
          this.domainsByCa.set(ca.fingerprint256, [domain]);
          cas.push(ca);
        } else if (!known.includes(domain)) known.push(domain);
      }
    }
    this.cas = cas;
    this.domainOnlyAnchors = cas.some((ca) => !this.general.has(ca.fingerprint256));
  }

  /** Each bundle's CAs with their trust domain (a CA in several bundles once per domain). */
  get anchors(): readonly TrustDomainCa[] {
    return this.cas.flatMap((certificate) =>
      this.domainsOf(certificate).map((trustDomain) => ({ trustDomain, certificate })),
    );
  }

  /** The trust domains whose bundles hold this very certificate. */
  domainsOf(cert: X509Certificate): readonly string[] {
    return this.domainsByCa.get(cert.fingerprint256) ?? [];
  }

  /**
   * Judges a certificate whose chain is otherwise trusted.
   *
   * @param spiffeId the certificate's SPIFFE ID (`ClientIdentity.spiffeId`), or `null`.
   * @param anchor the last certificate of its verified chain, or `'unknown'` when the chain cannot
   *   be rebuilt (a resumed TLS session keeps the leaf alone).
   */
  judge(spiffeId: string | null, anchor: X509Certificate | 'unknown'): TrustDomainVerdict {
    if (spiffeId === null) {
      if (anchor === 'unknown') {
        return this.domainOnlyAnchors
          ? refuse(
              'its chain cannot be rebuilt here (the intermediates it was sent with are gone), so it cannot be shown to end at a CA of the trusted bundle rather than at a trust domain CA',
            )
          : { ok: true, trustDomain: null };
      }
      if (this.general.has(anchor.fingerprint256)) return { ok: true, trustDomain: null };
      return refuse(
        `the certificate has no SPIFFE ID, but its chain ends at "${subjectOf(anchor)}", ${this.whose(anchor)}, which vouches only for SPIFFE IDs of ${this.domainsOf(anchor).join(', ')}`,
      );
    }
    const domain = trustDomainOf(spiffeId);
    if (!this.domains.includes(domain)) {
      return refuse(
        `${spiffeId} names trust domain ${domain}, which has no bundle here (bundles: ${this.domains.join(', ')})${anchor === 'unknown' ? '' : `; its chain ends at "${subjectOf(anchor)}", ${this.whose(anchor)}`}`,
      );
    }
    if (anchor === 'unknown') {
      return refuse(
        `${spiffeId} names trust domain ${domain}, but its chain cannot be rebuilt here (the intermediates it was sent with are gone), so it cannot be shown to end at a CA of ${domain}'s bundle`,
      );
    }
    if (this.domainsOf(anchor).includes(domain)) return { ok: true, trustDomain: domain };
    return refuse(
      `${spiffeId} names trust domain ${domain}, but its chain ends at "${subjectOf(anchor)}", ${this.whose(anchor)}: only a CA of ${domain}'s bundle may vouch for a ${domain} identity`,
    );
  }

  /** Whose CA this is, for a message: its trust domains, or the plain bundle. */
  private whose(ca: X509Certificate): string {
    const domains = this.domainsOf(ca);
    if (domains.length === 0) return 'a CA of the trusted CA bundle (no trust domain)';
    return `a CA of trust domain${domains.length > 1 ? 's' : ''} ${domains.join(', ')}`;
  }
}

function refuse(detail: string): TrustDomainVerdict {
  return { ok: false, detail };
}

/** Node's one-attribute-per-line name, most specific first, as RFC 4514 reads. */
function subjectOf(cert: X509Certificate): string {
  return cert.subject.split('\n').reverse().join(',');
}
