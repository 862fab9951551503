import type { KeyObject, X509Certificate } from 'node:crypto';
import { readCertificateFacts, type CertificateFacts } from './certificate-facts.js';
import { isSelfSigned } from './pem.js';

/** A CA certificate of the bundle, with what validation reads from it, computed once. */
export interface TrustedCa {
  readonly cert: X509Certificate;
  readonly facts: CertificateFacts;
  /** Its public key, taken out once for the signature checks of the certificates it issued. */
  readonly publicKey: KeyObject;
  /** Subject and public key: two entries with the same key are the same issuer for a path. */
  readonly key: string;
  /** A self-signed certificate of the bundle: a path that reaches it is trusted. */
  readonly anchor: boolean;
}

/**
 * The client CAs this service trusts (the `trustedCa` option): roots and intermediates, indexed by
 * subject, each parsed once. As for OpenSSL without partial chains, only self-signed
 * certificates of the bundle end a trusted path; intermediates of the bundle may complete one.
 */
export class TrustStore {
  private readonly bySubject = new Map<string, TrustedCa[]>();
  private readonly byFingerprint = new Map<string, TrustedCa>();
  /** @throws {Error} when a certificate's extensions cannot be read. */
  constructor(certificates: readonly X509Certificate[]) {
    for (const cert of certificates) {
      const publicKey = cert.publicKey;
      const ca: TrustedCa = {
        cert,
        facts: readCertificateFacts(cert),
        publicKey,
        key: issuerKey(cert, publicKey),
        anchor: isSelfSigned(cert),
      };
      this.byFingerprint.set(cert.fingerprint256, ca);
      const list = this.bySubject.get(cert.subject) ?? [];
      if (!list.some((c) => c.key === ca.key)) list.push(ca);
      this.bySubject.set(cert.subject, list);
    }
  }

  /** `true` when this very certificate is in the bundle. */
  contains(cert: X509Certificate): boolean {
    return this.byFingerprint.has(cert.fingerprint256);
  }

  /** The bundle's entry for this very certificate, if it is one. */
  entry(cert: X509Certificate): TrustedCa | undefined {
    return this.byFingerprint.get(cert.fingerprint256);
  }

  /** The bundle's certificates whose subject is `name` (one per subject and key). */
  withSubject(name: string): readonly TrustedCa[] {
    return this.bySubject.get(name) ?? [];
  }
}

/** Subject and SPKI: what makes two CA certificates interchangeable as issuers. */
export function issuerKey(cert: X509Certificate, publicKey: KeyObject = cert.publicKey): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return `${cert.subject}\u0000${spki}`;
}
