import { X509Certificate } from 'node:crypto';
import type { Agent } from 'undici';
import { currentCaller } from './caller-context.js';
import { buildClientIdentity } from '../x509/client-identity.js';
import { formatXfcc, xfccElementFor, type XfccElement } from '../forwarded/xfcc.js';
import { classifyTransportError, OutboundRequestError } from './outbound-request.error.js';

/** This service's client identity and trust for outbound calls. */
export interface MtlsHttpClientOptions {
  /** PEM certificate chain presented to downstream services. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** CA bundle that verifies downstream servers (verification is always on). */
  readonly ca: string | Buffer;
  /** @default 10_000 */
  readonly timeoutMs?: number;
  /** @default 32 connections per downstream origin */
  readonly connections?: number;
}

/** A downstream answer. */
export interface OutboundResponse<T> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: T;
}

/** Options of one call. */
export interface OutboundRequestOptions {
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const XFCC = 'x-forwarded-client-cert';

/**
 * undici, loaded by the first call rather than with this module: a service that calls no other
 * service never loads it (importing it cost ~30 ms and ~7 MB of every start-up of the starter,
 * which makes a client at start-up; `npm run bench:startup`). Node's module cache makes later
 * imports the same module, without state of ours.
 */
const loadUndici = () => import('undici');

/**
 * The mTLS HTTP client for calls to other services: undici 7 with this service's own client
 * certificate, server verification always on, keep-alive and TLS session reuse per
 * downstream. Inside a request handled under `ClientCertForwardingInterceptor`, every call also
 * says on whose behalf it is made: the verified caller (and the callers it acted for) in an
 * `x-forwarded-client-cert` header, which the downstream honours only if it trusts this service
 * as a forwarder (its `trustedForwarders` option).
 *
 * @example const me = await client.getJson<ClientIdentity>('https://billing:8443/api/whoami');
 */
export class MtlsHttpClient {
  /** The connection pool, made by the first call (see `loadUndici`). */
  private agent: Agent | undefined;
  private readonly agentOptions: Agent.Options;
  private closed = false;
  private readonly timeoutMs: number;
  /** How this service names itself in XFCC `By`: its SPIFFE ID, else its first URI SAN, else its CN. */
  readonly serviceName: string;

  constructor(options: MtlsHttpClientOptions) {
    const leaf = new X509Certificate(options.cert);
    const me = buildClientIdentity(leaf, 'tls');
    this.serviceName = me.spiffeId ?? me.uris[0] ?? me.commonName ?? me.subject;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.agentOptions = {
      connect: {
        cert: options.cert,
        key: options.key,
        ca: options.ca,
        // Never turn this off: a client that does not verify the server sends the caller's
        // identity, and its own certificate's proof, to whoever answers.
        rejectUnauthorized: true,
        timeout: this.timeoutMs,
      },
      connections: options.connections ?? 32,
      keepAliveTimeout: 10_000,
    };
  }

  /** GET, JSON answer; throws {@link OutboundRequestError} unless 2xx. */
  async getJson<T>(url: string, options: OutboundRequestOptions = {}): Promise<T> {
    return (await this.expectOk<T>('GET', url, undefined, options)).body;
  }

  /** POST a JSON body, JSON answer; throws {@link OutboundRequestError} unless 2xx. */
  async postJson<T>(url: string, body: unknown, options: OutboundRequestOptions = {}): Promise<T> {
    return (await this.expectOk<T>('POST', url, body, options)).body;
  }

  /** Any method; answers every status, throws only for transport failures (TLS, timeout, unreachable). */
  async request<T = unknown>(
    method: string,
    url: string,
    body?: unknown,
    options: OutboundRequestOptions = {},
  ): Promise<OutboundResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const xfcc = this.forwardedClientCert();
    if (xfcc) headers[XFCC] = xfcc;
    const timeout = options.timeoutMs ?? this.timeoutMs;
    try {
      const { request } = await loadUndici();
      const res = await request(url, {
        method: method as 'GET',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: await this.pool(),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: options.signal,
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      if (text !== '' && String(res.headers['content-type'] ?? '').includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: res.statusCode, headers: res.headers, body: parsed as T };
    } catch (error) {
      throw classifyTransportError(error, url);
    }
  }

  /** Closes the pooled connections (the module does it on shutdown). */
  close(): Promise<void> {
    this.closed = true;
    return this.agent?.close() ?? Promise.resolve();
  }

  private async pool(): Promise<Agent> {
    const { Agent } = await loadUndici();
    if (!this.agent) {
      this.agent = new Agent(this.agentOptions);
      // Closed before its first call: so is the pool, and the call fails as on a closed pool.
      if (this.closed) await this.agent.close();
    }
    return this.agent;
  }

  /**
   * The XFCC header for the current caller: the hops it was forwarded through (from its own
   * `forwardedFor`, original first), then an element for the caller, `By` this service.
   */
  private forwardedClientCert(): string | undefined {
    const caller = currentCaller()?.identity;
    if (!caller) return undefined;
    const earlier: XfccElement[] = (caller.forwardedFor ?? []).map((f) => [
      ...(f.by ? [['By', f.by] as const] : []),
      ...(f.hash ? [['Hash', f.hash] as const] : []),
      ...(f.subject ? [['Subject', f.subject] as const] : []),
      ...f.uris.map((u) => ['URI', u] as const),
      ...f.dnsNames.map((d) => ['DNS', d] as const),
    ]);
    return formatXfcc([...earlier, xfccElementFor(caller, this.serviceName)]);
  }

  private async expectOk<T>(
    method: string,
    url: string,
    body: unknown,
    options: OutboundRequestOptions,
  ): Promise<OutboundResponse<T>> {
    const res = await this.request<T>(method, url, body, options);
    if (res.status >= 200 && res.status < 300) return res;
    const downstreamCode = (res.body as { code?: unknown } | null)?.code;
    throw new OutboundRequestError(
      'DOWNSTREAM_HTTP_ERROR',
      `${method} ${url} answered ${res.status}${typeof downstreamCode === 'string' ? ` ${downstreamCode}` : ''}`,
      url,
      {
        status: res.status,
        downstreamCode: typeof downstreamCode === 'string' ? downstreamCode : undefined,
      },
    );
  }
}
