import type { X509Certificate } from 'node:crypto';
import { CertificateProfile } from './verify/certificate-profile.js';

/**
 * The client CAs this service trusts (the `trustedCa` option), as OpenSSL's `X509_STORE` holds
 * the same bundle for the handshake: each certificate read once ({@link CertificateProfile}), in
 * bundle order (the order OpenSSL tries same-named CAs in), found by canonical subject Name.
 * As for OpenSSL without partial chains, only self-signed certificates of the bundle end a trusted
 * path; intermediates of the bundle may complete one.
 */
export class TrustStore {
  /** The bundle's certificates, duplicates dropped, in order. */
  readonly profiles: readonly CertificateProfile[];
  private readonly bySubject = new Map<string, CertificateProfile[]>();
  private readonly byFingerprint = new Map<string, CertificateProfile>();

  /** @throws {Error} when a certificate cannot be read. */
  constructor(certificates: readonly X509Certificate[]) {
    const profiles: CertificateProfile[] = [];
    for (const cert of certificates) {
      if (this.byFingerprint.has(cert.fingerprint256)) continue;
      const profile = new CertificateProfile(cert);
      profiles.push(profile);
      this.byFingerprint.set(profile.fingerprint, profile);
      const list = this.bySubject.get(profile.subjectKey) ?? [];
      list.push(profile);
      this.bySubject.set(profile.subjectKey, list);
    }
    this.profiles = profiles;
  }

  /** `true` when this very certificate is in the bundle. */
  contains(cert: X509Certificate): boolean {
    return this.byFingerprint.has(cert.fingerprint256);
  }

  /** The bundle's profile of this very certificate, if it is one. */
  entry(cert: X509Certificate): CertificateProfile | undefined {
    return this.byFingerprint.get(cert.fingerprint256);
  }

  /** The bundle's certificates whose canonical subject is `subjectKey`, in bundle order. */
  withSubject(subjectKey: string): readonly CertificateProfile[] {
    return this.bySubject.get(subjectKey) ?? [];
  }
}
