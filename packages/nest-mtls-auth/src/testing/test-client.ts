import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { TestCertificate, TestPki } from './test-pki.js';

/** An answer of the app under test. */
export interface TestResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /**
   * The body parsed as JSON (a refusal: `{ statusCode, error, code, message }`); `{}` when the
   * answer is empty or not JSON (then read {@link text}).
   */
  readonly body: T;
  /** The body as text. */
  readonly text: string;
}

/** Headers and a body for one request. */
export interface TestRequestInit {
  readonly headers?: Readonly<Record<string, string>>;
  /** A string or bytes are sent as they are; anything else as JSON. */
  readonly body?: unknown;
}

/** Requests as one caller; each opens a TLS connection of its own (a full handshake). */
export interface TestRequests {
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    init?: TestRequestInit,
  ): Promise<TestResponse<T>>;
  get<T = Record<string, unknown>>(path: string, init?: TestRequestInit): Promise<TestResponse<T>>;
  delete<T = Record<string, unknown>>(
    path: string,
    init?: TestRequestInit,
  ): Promise<TestResponse<T>>;
  post<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    init?: TestRequestInit,
  ): Promise<TestResponse<T>>;
  put<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    init?: TestRequestInit,
  ): Promise<TestResponse<T>>;
  patch<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    init?: TestRequestInit,
  ): Promise<TestResponse<T>>;
}

/** How a trusted proxy forwards the caller's certificate. */
export interface TestForwarding {
  /** The caller whose certificate the proxy verified. */
  readonly caller: TestCertificate;
  /** @default 'x-ssl-client-cert' (the module's `certificateHeader` default) */
  readonly header?: string;
  /** @default 'x-ssl-client-verify' (the module's `verifyHeader` default) */
  readonly verifyHeader?: string;
}

/** Who {@link testRequests} calls as, and where. */
export interface TestRequestsOptions {
  readonly pki: TestPki;
  /** `https://127.0.0.1:<port>`: the server must present a certificate of `pki` for localhost. */
  readonly url: string;
  /** The certificate presented in the TLS handshake; none when absent. */
  readonly certificate?: TestCertificate;
  /** Sends the headers nginx sends for a verified caller (the connection should be the proxy's). */
  readonly forwarding?: TestForwarding;
}

/**
 * The headers nginx's shipped configuration sets for a verified caller:
 * `X-SSL-Client-Cert: $ssl_client_escaped_cert` (the PEM, URL-encoded), `X-SSL-Client-Verify:
 * $ssl_client_verify`, and the usual `X-Forwarded-For` and `X-Forwarded-Proto`.
 *
 * @see https://nginx.org/en/docs/http/ngx_http_ssl_module.html#var_ssl_client_escaped_cert
 */
export function nginxForwardedHeaders(forwarding: TestForwarding): Record<string, string> {
  return {
    [forwarding.header ?? 'x-ssl-client-cert']: encodeURIComponent(forwarding.caller.certPem),
    [forwarding.verifyHeader ?? 'x-ssl-client-verify']: 'SUCCESS',
    'x-forwarded-for': '127.0.0.1',
    'x-forwarded-proto': 'https',
  };
}

function encodeBody(body: unknown): { data?: string | Uint8Array; type?: string } {
  if (body === undefined) return {};
  if (typeof body === 'string') return { data: body, type: 'text/plain; charset=utf-8' };
  if (body instanceof Uint8Array) return { data: body, type: 'application/octet-stream' };
  return { data: JSON.stringify(body), type: 'application/json' };
}

function parseBody(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: `text` has it.
    return {};
  }
}

/**
 * Requests to a test server over real HTTPS, verifying its certificate against the test CA,
 * presenting `certificate` when given. `startTestApp()` makes these for you (`app.as(caller)`);
 * use this one for an app you started yourself.
 *
 * @example
 * const billing = testRequests({ pki, url, certificate: caller });
 * expect((await billing.get('/payments')).status).toBe(200);
 */
export function testRequests(options: TestRequestsOptions): TestRequests {
  const base = new URL(options.url);
  const tls = options.pki.tlsOptions(options.certificate);
  const forwarded = options.forwarding ? nginxForwardedHeaders(options.forwarding) : {};
  const send = <T>(method: string, path: string, init: TestRequestInit = {}) =>
    new Promise<TestResponse<T>>((resolve, reject) => {
      const { data, type } = encodeBody(init.body);
      const headers: Record<string, string> = {
        ...(type ? { 'content-type': type } : {}),
        ...(data === undefined ? {} : { 'content-length': String(Buffer.byteLength(data)) }),
        ...forwarded,
        ...init.headers,
      };
      const req = request(new URL(path, base), { method, headers, agent: false, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: parseBody(text) as T,
            text,
          });
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  return {
    request: (method, path, init) => send(method.toUpperCase(), path, init),
    get: (path, init) => send('GET', path, init),
    delete: (path, init) => send('DELETE', path, init),
    post: (path, body, init) => send('POST', path, { ...init, body }),
    put: (path, body, init) => send('PUT', path, { ...init, body }),
    patch: (path, body, init) => send('PATCH', path, { ...init, body }),
  };
}
