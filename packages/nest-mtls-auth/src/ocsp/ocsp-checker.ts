import type { OcspMode } from './ocsp-mode.js';
import type { X509Certificate } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { OcspAnswer } from './ocsp.js';
import { postOcspRequest } from './ocsp-client.js';

/**
 * The OCSP message codec (and `@peculiar/asn1-ocsp`), loaded by the first query rather than with
 * this module: OCSP is off by default, and a service that never asks never loads it.
 */
const loadOcsp = () => import('./ocsp.js');

/**
 * Asks the issuer's OCSP responder about client certificates (the leaf of a trusted chain), with
 * answers cached by fingerprint until their nextUpdate (at most a day), one query in flight per
 * certificate, and a timeout. The responder is the certificate's AIA OCSP URL, or `url` when set.
 */
export class OcspChecker {
  private readonly cache = new LRUCache<string, OcspAnswer>({ max: 10_000 });
  private readonly inFlight = new Map<string, Promise<OcspAnswer>>();

  constructor(
    readonly mode: Exclude<OcspMode, 'off'>,
    private readonly url: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** The status of `chain[0]` as its issuer `chain[1]`'s responder says, within the timeout. */
  async status(chain: readonly X509Certificate[], now: number = Date.now()): Promise<OcspAnswer> {
    const [leaf, issuer] = chain;
    if (!leaf || !issuer) return { status: 'good', validUntil: Number.MAX_SAFE_INTEGER };
    const key = leaf.fingerprint256;
    const cached = this.cache.get(key);
    if (cached && cached.validUntil > now) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.ask(leaf, issuer).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const answer = await pending;
    this.cache.set(key, answer);
    return answer;
  }

  private async ask(leaf: X509Certificate, issuer: X509Certificate): Promise<OcspAnswer> {
    const { buildOcspRequest, ocspUrlOf, parseOcspResponse } = await loadOcsp();
    const url = this.url ?? ocspUrlOf(leaf);
    // No responder to ask, or no answer in time: "unknown", which hard mode refuses.
    if (!url) return { status: 'unknown', validUntil: Date.now() + 60_000 };
    try {
      const der = await postOcspRequest(url, buildOcspRequest(leaf, issuer), this.timeoutMs);
      return parseOcspResponse(der, leaf, issuer);
    } catch {
      return { status: 'unknown', validUntil: Date.now() + 10_000 };
    }
  }
}
