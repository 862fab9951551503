import { LRUCache } from 'lru-cache';
import type { AuthOutcome } from './certificate/certificate-policy.js';

/**
 * Outcomes of direct TLS certificates across connections, keyed by the certificate's SHA-256 and
 * the handshake's verdict (the same certificate can be authorized on one connection and not on
 * another: an intermediate sent or not). A caller that reconnects pays one lookup, not an
 * identity extraction. Bounded (LRU); the owner clears it on every trust change, and remembered
 * identities are still re-checked for expiry by their connection entries.
 */
export class JudgedCertificates {
  private readonly lru: LRUCache<string, AuthOutcome>;

  constructor(max: number) {
    this.lru = new LRUCache({ max });
  }

  get(fingerprint256: string, verdict: string): AuthOutcome | undefined {
    return this.lru.get(`${fingerprint256}|${verdict}`);
  }

  set(fingerprint256: string, verdict: string, outcome: AuthOutcome): void {
    this.lru.set(`${fingerprint256}|${verdict}`, outcome);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}
