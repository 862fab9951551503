import type { X509Certificate } from 'node:crypto';
import { isSelfSigned, safeVerify } from './pem.js';

/** Longest chain (leaf to root) the store will build; deeper chains read as untrusted. */
export const MAX_CHAIN_LENGTH = 8;

/**
 * The client CAs this service trusts (`MTLS_CA_FILE`): roots and intermediates. A chain is trusted
 * when it runs from the leaf, through intermediates from this bundle or sent by the client, to a
 * self-signed root in this bundle, each link checked by name, key identifiers and signature, as
 * OpenSSL does for the TLS handshake. The same check serves direct TLS (to give the precise reason
 * for a refusal) and forwarded certificates (which no handshake has checked for this service).
 *
 * @see RFC 5280 section 6
 */
export class TrustStore {
  private readonly bySubject = new Map<string, X509Certificate[]>();
  private readonly fingerprints = new Set<string>();
  /** CA certificates, in bundle order. */
  readonly certificates: readonly X509Certificate[];

  constructor(certificates: readonly X509Certificate[]) {
    this.certificates = certificates;
    for (const cert of certificates) {
      this.fingerprints.add(cert.fingerprint256);
      const list = this.bySubject.get(cert.subject) ?? [];
      list.push(cert);
      this.bySubject.set(cert.subject, list);
    }
  }

  /** `true` when this very certificate is in the bundle. */
  contains(cert: X509Certificate): boolean {
    return this.fingerprints.has(cert.fingerprint256);
  }

  /**
   * Builds a trusted path for `leaf`, or returns `undefined` when there is none.
   *
   * @param presented intermediates the client sent; they may complete a path, never end one.
   * @returns the path, leaf first, root last.
   */
  buildChain(
    leaf: X509Certificate,
    presented: readonly X509Certificate[] = [],
  ): X509Certificate[] | undefined {
    const extra = new Map<string, X509Certificate[]>();
    for (const cert of presented) {
      if (!cert.ca) continue;
      const list = extra.get(cert.subject) ?? [];
      list.push(cert);
      extra.set(cert.subject, list);
    }
    return this.extend([leaf], extra);
  }

  private extend(
    path: X509Certificate[],
    extra: Map<string, X509Certificate[]>,
  ): X509Certificate[] | undefined {
    const current = path[path.length - 1] as X509Certificate;
    if (this.contains(current) && isSelfSigned(current)) return path;
    if (path.length >= MAX_CHAIN_LENGTH) return undefined;
    const candidates = [
      ...(this.bySubject.get(current.issuer) ?? []),
      ...(extra.get(current.issuer) ?? []),
    ];
    for (const issuer of candidates) {
      if (!issuer.ca || path.some((c) => c.fingerprint256 === issuer.fingerprint256)) continue;
      if (!current.checkIssued(issuer) || !safeVerify(current, issuer)) continue;
      const found = this.extend([...path, issuer], extra);
      if (found) return found;
    }
    return undefined;
  }
}
