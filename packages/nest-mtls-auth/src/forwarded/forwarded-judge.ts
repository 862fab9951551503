import type { IncomingMessage } from 'node:http';
import { AuthEntry } from '../records/auth-entry.js';
import type { CallerMemory } from '../records/caller-memory.js';
import { ForwardedOutcomeCache } from '../records/forwarded-outcome-cache.js';
import type { Warn } from '../trust/warn.js';
import type { TrustConfiguration } from '../trust/trust-configuration.js';
import type { CertificateHeaderFormat } from '../options/mtls-auth-options.js';
import type { AuthOutcome } from '../x509/certificate-policy.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { decodeForwardedCertificate } from './forwarded-certificate.js';

/** The headers a trusted proxy sets, and how the certificate is written in them. */
export interface ForwardedHeaders {
  readonly certificate: string;
  readonly verify: string;
  readonly format: CertificateHeaderFormat;
}

/**
 * Judges the certificate a trusted proxy forwarded in a header: decoded, then validated again here
 * by the bounded chain verifier against the same trust as direct TLS (a proxy's word is not
 * trusted). Outcomes are remembered by header value in a bounded LRU: one upstream keep-alive
 * connection carries many callers, so nothing is remembered per proxy connection.
 */
export class ForwardedJudge {
  private readonly cache: ForwardedOutcomeCache<AuthEntry>;

  constructor(
    private readonly trust: TrustConfiguration,
    private readonly memory: CallerMemory,
    private readonly headers: ForwardedHeaders,
    cacheSize: number,
    private readonly warn: Warn,
  ) {
    this.cache = new ForwardedOutcomeCache<AuthEntry>(cacheSize);
  }

  /** How many header values are remembered. */
  get size(): number {
    return this.cache.size;
  }

  clear(): void {
    this.cache.clear();
  }

  /** The entry of the caller a trusted proxy forwarded. Never throws for anything it sends. */
  judge(raw: IncomingMessage): AuthEntry {
    const verdict = headerValue(raw, this.headers.verify);
    if (verdict !== undefined && verdict !== 'SUCCESS') {
      // nginx: NONE without a certificate, FAILED:<reason> when its own check failed.
      const code =
        verdict === '' || verdict === 'NONE'
          ? MtlsReasonCode.CertMissing
          : MtlsReasonCode.CertUntrusted;
      return new AuthEntry(this.trust, { ok: false, code });
    }
    const value = headerValue(raw, this.headers.certificate);
    if (value === undefined || value === '')
      return new AuthEntry(this.trust, { ok: false, code: MtlsReasonCode.CertMissing });
    const cached = this.memory.current(this.cache.get(value));
    if (cached) return cached;
    const entry = new AuthEntry(this.trust, this.evaluate(value));
    this.cache.set(value, entry);
    return entry;
  }

  private evaluate(value: string): AuthOutcome {
    const decoded = decodeForwardedCertificate(value, this.headers.format);
    if (!decoded.ok) return { ok: false, code: MtlsReasonCode.CertMalformed };
    try {
      return this.trust.policy.evaluateForwarded(decoded.certificate);
    } catch (cause) {
      this.warn({ msg: 'forwarded certificate could not be read', err: cause });
      return { ok: false, code: MtlsReasonCode.CertMalformed };
    }
  }
}

function headerValue(raw: IncomingMessage, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value.join(',') : value?.trim();
}
