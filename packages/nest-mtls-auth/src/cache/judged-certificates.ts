import { LRUCache } from 'lru-cache';

/**
 * What direct TLS certificates were judged to, across connections, keyed by the certificate's
 * SHA-256 and the handshake's verdict (the same certificate can be authorized on one connection
 * and not on another: an intermediate sent or not). A caller that reconnects pays one lookup, not
 * an identity extraction, and shares its entry (with what `validate()` made of it) with its
 * earlier connections. Bounded (LRU); the owner clears it on every trust change, and remembered
 * identities are still re-checked for expiry by their entries.
 */
export class JudgedCertificates<T extends object> {
  private readonly lru: LRUCache<string, T>;

  constructor(max: number) {
    this.lru = new LRUCache({ max });
  }

  get(fingerprint256: string, verdict: string): T | undefined {
    return this.lru.get(key(fingerprint256, verdict));
  }

  set(fingerprint256: string, verdict: string, value: T): void {
    this.lru.set(key(fingerprint256, verdict), value);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}

/**
 * The cache key: the fingerprint alone for an authorized handshake (nearly every lookup; no new
 * string to build and hash), the fingerprint and the error otherwise. A fingerprint has no `|`.
 */
function key(fingerprint256: string, verdict: string): string {
  return verdict === 'OK' ? fingerprint256 : `${fingerprint256}|${verdict}`;
}
