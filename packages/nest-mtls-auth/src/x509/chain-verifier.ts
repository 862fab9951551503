import type { KeyObject, X509Certificate } from 'node:crypto';
import {
  CLIENT_AUTH_EKU,
  KeyUsageFlag,
  readCertificateFacts,
  type CertificateFacts,
} from './certificate-facts.js';
import { safeVerify } from './pem.js';
import { MtlsReasonCode } from './reason-code.js';
import { issuerKey, type TrustStore } from './trust-store.js';

/** Checks revocation of `cert`, issued by `issuer` (a loaded CRL set). */
export interface RevocationChecker {
  status(cert: X509Certificate, issuer: X509Certificate, now?: number): RevocationStatus;
}

/** `unknown`: no current revocation information for that issuer, which refuses the certificate. */
export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/**
 * The most work one verification may do. Past any limit the certificate is refused as untrusted:
 * no input, however many same-named CAs it brings, costs more than a few milliseconds.
 */
export interface ChainBudget {
  /** Certificates in a path, leaf and root included. */
  readonly maxDepth: number;
  /** Distinct issuer candidates looked at for one certificate (same subject and key count once). */
  readonly maxCandidates: number;
  /** Signature verifications in all. */
  readonly maxSignatureChecks: number;
}

/** @see ChainBudget */
export const DEFAULT_CHAIN_BUDGET: ChainBudget = {
  maxDepth: 8,
  maxCandidates: 8,
  maxSignatureChecks: 32,
};

/** A path from the leaf to a trust anchor, or why there is none that holds. */
export type ChainVerdict =
  | { readonly ok: true; readonly chain: readonly X509Certificate[] }
  | {
      readonly ok: false;
      readonly code: MtlsReasonCode;
      readonly reason: string;
      /** The path that was found and then refused (leaf first), when one was found. */
      readonly path?: readonly X509Certificate[];
      /** The index in `path` of the certificate the refusal is about, when it is one. */
      readonly link?: number;
    };

interface Link {
  readonly cert: X509Certificate;
  /** Bundle certificates carry their public key, taken out once. */
  readonly publicKey?: KeyObject;
  /** Read when the link is part of a found path (a presented certificate is parsed only then). */
  facts?: CertificateFacts;
  readonly key: string;
  readonly anchor: boolean;
}

function factsOf(link: Link): CertificateFacts {
  return (link.facts ??= readCertificateFacts(link.cert));
}

/**
 * Verifies a client certificate as OpenSSL does for a TLS server (`openssl verify -purpose
 * sslclient`, with Node's `ca` and `crl` options), within a {@link ChainBudget}:
 *
 * 1. a path to a self-signed CA of the bundle: each issuer matched by name, key identifiers and
 *    keyCertSign (`X509Certificate.checkIssued`, OpenSSL's own test), a CA by basicConstraints,
 *    its signature verified; bundle issuers first, then those the client presented;
 * 2. every link: no unhandled critical extension, no name constraints (not evaluated here, so
 *    refused), pathLenConstraint honoured;
 * 3. the sslclient purpose: extended key usage, when present, allows clientAuth on the leaf and
 *    every intermediate; the leaf's keyUsage, when present, allows digitalSignature or keyAgreement;
 * 4. revocation of every link below the anchor (a CRL is needed from each issuer);
 * 5. the validity period of every link.
 *
 * The first failing step gives the reason code, so an untrusted certificate always reads
 * `MTLS_CERT_UNTRUSTED`, however expired it also is. Pure: no I/O, no framework.
 */
export class ChainVerifier {
  constructor(
    private readonly store: TrustStore,
    private readonly revocation?: RevocationChecker,
    private readonly budget: ChainBudget = DEFAULT_CHAIN_BUDGET,
  ) {}

  /**
   * @param presented certificates the client sent above its leaf; they may complete a path,
   *   never end one.
   * @throws {Error} only when the leaf's DER cannot be parsed.
   */
  verify(
    leaf: X509Certificate,
    presented: readonly X509Certificate[] = [],
    now: number = Date.now(),
  ): ChainVerdict {
    const start = this.linkOf(leaf);
    const search = new PathSearch(this.store, presented, this.budget);
    const path = search.find(start);
    if (!path) return refuse(MtlsReasonCode.CertUntrusted, search.failure);
    const verdict = this.check(path, now);
    return verdict.ok ? verdict : { ...verdict, path: path.map((l) => l.cert) };
  }

  private linkOf(cert: X509Certificate): Link {
    return this.store.entry(cert) ?? { cert, key: '', anchor: false };
  }

  private check(path: readonly Link[], now: number): ChainVerdict {
    let intermediatesBelow = 0;
    for (let i = 0; i < path.length; i++) {
      const facts = factsOf(path[i] as Link);
      if (facts.unhandledCritical.length > 0) {
        return refuse(
          MtlsReasonCode.CertUntrusted,
          `unhandled critical extension ${facts.unhandledCritical.join(', ')}`,
          i,
        );
      }
      if (facts.nameConstraints) {
        return refuse(MtlsReasonCode.CertUntrusted, 'name constraints are not supported', i);
      }
      if (i > 0) {
        if (facts.pathLen !== undefined && intermediatesBelow > facts.pathLen) {
          return refuse(MtlsReasonCode.CertUntrusted, 'pathLenConstraint exceeded', i);
        }
        if (i < path.length - 1) intermediatesBelow++;
      }
    }
    for (let i = 0; i < path.length - 1; i++) {
      const eku = factsOf(path[i] as Link).extKeyUsage;
      if (eku && !eku.includes(CLIENT_AUTH_EKU)) {
        return refuse(MtlsReasonCode.CertInvalidUsage, 'extended key usage without clientAuth', i);
      }
    }
    const leafUsage = factsOf(path[0] as Link).keyUsage;
    if (
      leafUsage !== undefined &&
      (leafUsage & (KeyUsageFlag.digitalSignature | KeyUsageFlag.keyAgreement)) === 0
    ) {
      return refuse(
        MtlsReasonCode.CertInvalidUsage,
        'keyUsage without digitalSignature or keyAgreement',
        0,
      );
    }
    if (this.revocation) {
      for (let i = 0; i + 1 < path.length; i++) {
        const status = this.revocation.status(
          (path[i] as Link).cert,
          (path[i + 1] as Link).cert,
          now,
        );
        if (status === 'revoked') return refuse(MtlsReasonCode.CertRevoked, 'revoked', i);
        if (status === 'unknown') {
          return refuse(MtlsReasonCode.CertUntrusted, 'no current CRL from its issuer', i);
        }
      }
    }
    // As OpenSSL does, from the anchor down to the leaf.
    for (let i = path.length - 1; i >= 0; i--) {
      const facts = factsOf(path[i] as Link);
      if (now < facts.notBeforeMs)
        return refuse(MtlsReasonCode.CertNotYetValid, 'not yet valid', i);
      if (now > facts.notAfterMs) return refuse(MtlsReasonCode.CertExpired, 'expired', i);
    }
    return { ok: true, chain: path.map((l) => l.cert) };
  }
}

/** Depth-first search for a path to an anchor, within a budget; remembers why it failed. */
class PathSearch {
  /** Presented CA certificates by subject; made into links (their key read) only as candidates. */
  private readonly presented = new Map<string, X509Certificate[]>();
  private readonly links = new Map<X509Certificate, Link>();
  private signatureChecks = 0;
  failure = 'no path to a trusted root';

  constructor(
    private readonly store: TrustStore,
    presentedCerts: readonly X509Certificate[],
    private readonly budget: ChainBudget,
  ) {
    for (const cert of presentedCerts.slice(0, budget.maxCandidates * budget.maxDepth)) {
      if (!cert.ca) continue;
      const list = this.presented.get(cert.subject) ?? [];
      list.push(cert);
      this.presented.set(cert.subject, list);
    }
  }

  find(leaf: Link): Link[] | undefined {
    if (leaf.anchor) return [leaf];
    return this.extend([leaf], new Set([leaf.key || leaf.cert.fingerprint256]));
  }

  /** Up to `maxCandidates` distinct issuers named by `cert`: the bundle's first. */
  private candidates(cert: X509Certificate): Link[] {
    const found: Link[] = [...this.store.withSubject(cert.issuer)];
    const keys = new Set(found.map((l) => l.key));
    for (const presented of this.presented.get(cert.issuer) ?? []) {
      if (found.length >= this.budget.maxCandidates) break;
      const link = this.linkOf(presented);
      if (link === undefined || keys.has(link.key)) continue;
      keys.add(link.key);
      found.push(link);
    }
    return found.slice(0, this.budget.maxCandidates);
  }

  private linkOf(cert: X509Certificate): Link | undefined {
    let link = this.links.get(cert);
    if (link === undefined) {
      if (this.store.contains(cert)) return undefined;
      try {
        link = { cert, key: issuerKey(cert), anchor: false };
      } catch {
        // A presented certificate whose key cannot be read completes no path.
        return undefined;
      }
      this.links.set(cert, link);
    }
    return link;
  }

  private extend(path: Link[], onPath: Set<string>): Link[] | undefined {
    const current = path[path.length - 1] as Link;
    if (path.length >= this.budget.maxDepth) {
      this.failure = 'path longer than the depth limit';
      return undefined;
    }
    for (const issuer of this.candidates(current.cert)) {
      if (onPath.has(issuer.key) || !issuer.cert.ca) continue;
      if (!current.cert.checkIssued(issuer.cert)) continue;
      if (this.signatureChecks >= this.budget.maxSignatureChecks) {
        this.failure = 'signature check budget exhausted';
        return undefined;
      }
      this.signatureChecks++;
      if (!safeVerify(current.cert, issuer.publicKey ?? issuer.cert)) {
        this.failure = 'signature does not verify';
        continue;
      }
      const next = [...path, issuer];
      if (issuer.anchor) return next;
      onPath.add(issuer.key);
      const found = this.extend(next, onPath);
      if (found) return found;
      onPath.delete(issuer.key);
    }
    return undefined;
  }
}

function refuse(code: MtlsReasonCode, reason: string, link?: number): ChainVerdict {
  return link === undefined ? { ok: false, code, reason } : { ok: false, code, reason, link };
}
