import { X509Certificate } from 'node:crypto';
import type { Agent } from 'undici';
import { currentCaller } from './caller-context.js';
import { buildClientIdentity } from '../x509/client-identity.js';
import { formatXfcc, XFCC_HEADER, xfccElementFor, xfccElementOf } from '../forwarded/xfcc.js';
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

/**
 * How to obtain a certificate-bound access token (RFC 8705): the client-credentials grant at the
 * authorization server's token endpoint, the client authenticated by this client's certificate
 * (`tls_client_auth` or `self_signed_tls_client_auth`, as the client is registered there).
 */
export interface BoundTokenRequest {
  /** The token endpoint (its `mtls_endpoint_aliases.token_endpoint` when it has one). */
  readonly tokenUrl: string;
  /** This service's client id at the authorization server. */
  readonly clientId: string;
  /** Space-separated scopes to ask for. */
  readonly scope?: string;
  /** RFC 8707 resource indicator: the downstream's audience. */
  readonly resource?: string;
}

/** Options of one call. */
export interface OutboundRequestOptions {
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Send `Authorization: Bearer` with a certificate-bound access token obtained as this says
   * (cached until shortly before it expires; see {@link MtlsHttpClient.boundToken}).
   */
  readonly boundToken?: BoundTokenRequest;
}

/** A token held until shortly before it expires. */
interface HeldToken {
  value: Promise<string>;
  expiresAt: number;
}

/** A token is asked for anew this long before it expires (or at half its life, if shorter). */
const TOKEN_RENEW_MS = 30_000;

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
  private readonly tokens = new Map<string, HeldToken>();
  /** This service's own certificate (read now, so that one that is not a certificate stops start-up). */
  private readonly leaf: X509Certificate;
  private name: string | undefined;

  constructor(options: MtlsHttpClientOptions) {
    this.leaf = new X509Certificate(options.cert);
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

  /**
   * How this service names itself in XFCC `By`: its SPIFFE ID, else its first URI SAN, else its
   * CN. Read from its certificate on first use.
   */
  get serviceName(): string {
    if (this.name === undefined) {
      const me = buildClientIdentity(this.leaf, 'tls');
      this.name = me.spiffeId ?? me.uris[0] ?? me.commonName ?? me.subject;
    }
    return this.name;
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
    if (options.boundToken) {
      headers.authorization = `Bearer ${await this.boundToken(options.boundToken)}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const xfcc = this.forwardedClientCert();
    if (xfcc) headers[XFCC_HEADER] = xfcc;
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

  /**
   * A certificate-bound access token (RFC 8705 section 3) for this service, by the
   * client-credentials grant over this client's mutual TLS: the authorization server
   * authenticates the client by its certificate and binds the token to it (`cnf["x5t#S256"]`), so
   * the token is worth nothing without this certificate's key. Held until 30 s before it
   * expires; concurrent calls share one request.
   *
   * @throws {OutboundRequestError} `TOKEN_REQUEST_FAILED` when the server issues no token (with
   *   its `error`), or a transport code.
   * @see RFC 8705 section 2.1 (tls_client_auth), RFC 6749 section 4.4 (client credentials)
   */
  boundToken(request: BoundTokenRequest): Promise<string> {
    const key = JSON.stringify([
      request.tokenUrl,
      request.clientId,
      request.scope,
      request.resource,
    ]);
    const held = this.tokens.get(key);
    if (held && Date.now() < held.expiresAt) return held.value;
    const entry: HeldToken = { value: Promise.resolve(''), expiresAt: Infinity };
    entry.value = this.requestToken(request).then(
      ({ token, lifetimeMs }) => {
        entry.expiresAt =
          Date.now() + Math.max(0, lifetimeMs - Math.min(TOKEN_RENEW_MS, lifetimeMs / 2));
        return token;
      },
      (error: unknown) => {
        this.tokens.delete(key);
        throw error;
      },
    );
    this.tokens.set(key, entry);
    return entry.value;
  }

  private async requestToken(
    spec: BoundTokenRequest,
  ): Promise<{ token: string; lifetimeMs: number }> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: spec.clientId,
    });
    if (spec.scope) form.set('scope', spec.scope);
    if (spec.resource) form.set('resource', spec.resource);
    let status: number;
    let body: Record<string, unknown>;
    try {
      const { request } = await loadUndici();
      const res = await request(spec.tokenUrl, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
        dispatcher: await this.pool(),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      body = ((await res.body.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw classifyTransportError(error, spec.tokenUrl);
    }
    const token = body.access_token;
    if (status !== 200 || typeof token !== 'string') {
      const why = [body.error, body.error_description].filter((v) => typeof v === 'string');
      throw new OutboundRequestError(
        'TOKEN_REQUEST_FAILED',
        `${spec.tokenUrl} issued no access token to ${spec.clientId} (${status}${why.length ? `: ${why.join(': ')}` : ''}): check that the client is registered for tls_client_auth with this certificate's subject or thumbprint`,
        spec.tokenUrl,
        { status, downstreamCode: typeof body.error === 'string' ? body.error : undefined },
      );
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 300;
    return { token, lifetimeMs: expiresIn * 1000 };
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
    const earlier = (caller.forwardedFor ?? []).map(xfccElementOf);
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
