/**
 * What direct TLS certificates were judged to, across connections, keyed by the certificate's
 * SHA-256 and the handshake's verdict (the same certificate can be authorized on one connection
 * and not on another: an intermediate sent or not). A caller that reconnects pays one lookup, not
 * an identity extraction, and shares its entry (with what `validate()` made of it) with its
 * earlier connections. The owner clears it on every trust change, and remembered identities are
 * still re-checked for expiry by their entries.
 *
 * Bounded by two generations of plain `Map`s rather than an LRU list: a lookup is one `Map.get`
 * on a new connection, measured at half of `lru-cache`'s `get` there (~6 against ~12 µs with
 * the caches cold after a handshake, Node 24). Entries are added to the young generation; when it
 * holds half of `max`, it becomes the old one and the previous old one is dropped. A hit in the
 * old generation moves the entry back to the young one, so an entry is forgotten only after
 * between `max / 2` and `max` other certificates were judged since it was last used, and no more
 * than `max` are ever held.
 */
export class JudgedCertificates<T extends object> {
  private young = new Map<string, T>();
  private old = new Map<string, T>();
  private readonly generationSize: number;

  constructor(max: number) {
    this.generationSize = Math.max(1, Math.ceil(max / 2));
  }

  get(fingerprint256: string, verdict: string): T | undefined {
    const k = key(fingerprint256, verdict);
    const value = this.young.get(k);
    if (value !== undefined) return value;
    const older = this.old.get(k);
    if (older !== undefined) {
      this.old.delete(k);
      this.add(k, older);
    }
    return older;
  }

  set(fingerprint256: string, verdict: string, value: T): void {
    const k = key(fingerprint256, verdict);
    if (this.young.has(k)) this.young.set(k, value);
    else {
      this.old.delete(k);
      this.add(k, value);
    }
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  private add(k: string, value: T): void {
    this.young.set(k, value);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

/**
 * The cache key: the fingerprint alone for an authorized handshake (nearly every lookup; no new
 * string to build and hash), the fingerprint and the error otherwise. A fingerprint has no `|`.
 */
function key(fingerprint256: string, verdict: string): string {
  return verdict === 'OK' ? fingerprint256 : `${fingerprint256}|${verdict}`;
}
