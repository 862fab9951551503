import type { X509Certificate } from 'node:crypto';
import { asciiLower } from './ascii-case.js';
import { MATCH_KEYS, type CertificateIdentity } from './client-identity.js';

/**
 * A set of pinned certificate fingerprints: SHA-256 (64 hex digits) or, for thumbprints copied
 * from .NET and IdentityServer, SHA-1 (40 hex digits). Colons, spaces and case are ignored.
 * Two pins for one caller is how a caller rotates its certificate without downtime.
 */
export class FingerprintPins {
  private readonly sha256 = new Set<string>();
  private readonly sha1 = new Set<string>();

  /** @throws {Error} naming the first value that is not a SHA-256 or SHA-1 fingerprint. */
  constructor(pins: readonly string[]) {
    for (const pin of pins) {
      const hex = normalizeFingerprint(pin);
      if (!/^[0-9a-f]+$/.test(hex) || (hex.length !== 64 && hex.length !== 40)) {
        throw new Error(
          `"${pin}" is not a certificate fingerprint: use SHA-256 (64 hex digits) or SHA-1 (40 hex digits)`,
        );
      }
      (hex.length === 64 ? this.sha256 : this.sha1).add(hex);
    }
  }

  /** `true` when pins are configured, so every certificate must match one. */
  get enabled(): boolean {
    return this.sha256.size + this.sha1.size > 0;
  }

  /** `true` when this certificate is pinned (read from the certificate, no identity needed). */
  matchesCertificate(cert: X509Certificate): boolean {
    return (
      this.sha256.has(normalizeFingerprint(cert.fingerprint256)) ||
      this.sha1.has(normalizeFingerprint(cert.fingerprint))
    );
  }

  /** `true` when the identity's certificate is pinned. */
  matches(identity: CertificateIdentity): boolean {
    const keys = identity[MATCH_KEYS];
    return this.sha256.has(keys.sha256) || this.sha1.has(keys.sha1);
  }
}

/**
 * `AB:cd:EF...` or `ab cd ef` -> `abcdef`. Only ASCII letters are lower-cased, so a look-alike
 * (fullwidth `Ａ`, say) stays what it is and the pin is refused as not hex.
 */
export function normalizeFingerprint(value: string): string {
  return asciiLower(value.replace(/[:\s-]/g, ''));
}
