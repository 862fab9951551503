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
import { readProxyVerdict } from './proxy-verdict.js';

/** The headers a trusted proxy sets, and how the certificate is written in them. */
export interface ForwardedHeaders {
  readonly certificate: string;
  readonly verify: string;
  readonly format: CertificateHeaderFormat;
  /** The header of the client's chain, when the proxy sends it apart (RFC 9440). */
  readonly chain?: string;
  /** What the verdict header says on success. @default ['SUCCESS'] */
  readonly successValues?: readonly string[];
}

/**
 * A template proxy's placeholder left as it is: Caddy writes
 * `{http.request.tls.client.certificate_der_base64}` itself when the client sent no certificate
 * (it leaves a placeholder it cannot fill). Never a certificate; it says there is none.
 */
const UNEXPANDED_PLACEHOLDER = /^\{[A-Za-z0-9_.-]+\}$/;

/** Separates the parts of a cache key: a header value never holds a line feed (RFC 9110 5.5). */
const PART = '\n';

/**
 * Judges the certificate a trusted proxy forwarded in a header: decoded with the chain forwarded
 * beside it, then validated again here by the bounded chain verifier against the same trust as
 * direct TLS (a proxy's word is not trusted; its chain is a hint for building the path, as the
 * certificates a client sends in a handshake are). A proxy's failure verdict refuses on its own.
 * Outcomes are remembered by the values of the headers they depend on (certificate, chain, and a
 * failure verdict) in a bounded LRU: one upstream keep-alive connection carries many callers, so
 * nothing is remembered per proxy connection.
 */
export class ForwardedJudge {
  private readonly cache: ForwardedOutcomeCache<AuthEntry>;
  private readonly successValues: readonly string[];

  constructor(
    private readonly trust: TrustConfiguration,
    private readonly memory: CallerMemory,
    private readonly headers: ForwardedHeaders,
    cacheSize: number,
    private readonly warn: Warn,
  ) {
    this.cache = new ForwardedOutcomeCache<AuthEntry>(cacheSize);
    this.successValues = headers.successValues ?? ['SUCCESS'];
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
    const value = headerValue(raw, this.headers.certificate);
    const verdict = readProxyVerdict(headerValue(raw, this.headers.verify), this.successValues);
    // No certificate (nginx: NONE and no header; HAProxy, GCP: an empty one; Caddy: its
    // placeholder) is a missing one.
    if (
      value === undefined ||
      value === '' ||
      verdict?.kind === 'absent' ||
      (value.charCodeAt(0) === 0x7b && UNEXPANDED_PLACEHOLDER.test(value))
    ) {
      return new AuthEntry(this.trust, { ok: false, code: MtlsReasonCode.CertMissing });
    }
    const chain =
      this.headers.chain === undefined ? undefined : headerValue(raw, this.headers.chain);
    // The outcome depends on each of these, so each is part of what is remembered: the same leaf
    // with another chain, or refused by the proxy (rare), is judged on its own.
    const context =
      verdict?.kind === 'failed' ? `failed:${verdict.error}${PART}${chain ?? ''}` : (chain ?? '');
    const cached = this.memory.current(this.cache.get(value, context));
    if (cached) return cached;
    const entry = new AuthEntry(
      this.trust,
      this.evaluate(value, chain, verdict?.kind === 'failed' ? verdict.error : undefined),
    );
    this.cache.set(value, entry, context);
    return entry;
  }

  /**
   * @param failed OpenSSL's name for the error of a proxy that refused the certificate itself
   *   (`''` when it named none); `undefined` when it did not.
   */
  private evaluate(
    value: string,
    chain: string | undefined,
    failed: string | undefined,
  ): AuthOutcome {
    const decoded = decodeForwardedCertificate(value, this.headers.format, chain);
    if (!decoded.ok) return { ok: false, code: MtlsReasonCode.CertMalformed };
    try {
      const { policy } = this.trust;
      return failed === undefined
        ? policy.evaluateForwarded(decoded.certificate, 'forwarded', decoded.chain)
        : policy.evaluateProxyRefusal(decoded.certificate, failed, decoded.chain);
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
