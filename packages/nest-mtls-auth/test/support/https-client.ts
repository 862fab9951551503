import { readFileSync } from 'node:fs';
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { Agent, request } from 'node:https';
import type { PkiFile, TestPki } from './test-pki.js';

/** A response with its JSON body (or `null` when the body is not JSON). */
export interface TestResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { code?: string; commonName?: string | null };
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface CallOptions {
  readonly client?: PkiFile;
  readonly agent?: Agent | HttpAgent;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  /** CA that verifies the server; the PKI's root by default. */
  readonly ca?: string;
}

/** A response body as JSON, or `{ raw }` when it is not JSON. */
export function jsonBody(chunks: Buffer[]): TestResponse['body'] {
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as TestResponse['body'];
  } catch {
    return { raw: text };
  }
}

/**
 * Calls the app over real HTTPS (a new connection per call unless an agent is given), verifying
 * the server certificate, presenting `client` when given.
 */
export function call(pki: TestPki, url: string, options: CallOptions = {}): Promise<TestResponse> {
  const target = new URL(url);
  const tls = target.protocol === 'https:';
  const send = tls ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
        ...(tls
          ? {
              ca: options.ca ?? readFileSync(pki.caFile),
              cert: options.client?.certPem,
              key: options.client?.keyPem,
              servername: 'localhost',
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: jsonBody(chunks), headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A keep-alive agent holding one connection, presenting `client`. */
export function keepAliveAgent(pki: TestPki, client?: PkiFile): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: readFileSync(pki.caFile),
    cert: client?.certPem,
    key: client?.keyPem,
    servername: 'localhost',
  });
}
