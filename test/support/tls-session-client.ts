import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { PkiFile, TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import {
  jsonBody,
  type TestResponse,
} from '../../packages/nest-mtls-auth/test/support/https-client.js';

/** A response over a connection of its own, and what became of TLS resumption on it. */
export interface SessionResponse extends TestResponse {
  /** The server resumed the offered session (no certificate exchange, no verification). */
  readonly reused: boolean;
  /** The last session (TLS 1.3: ticket) the server handed out on this connection. */
  readonly session: Buffer | undefined;
}

/**
 * One GET over a new TLS connection that offers `session` for resumption, presents `client`,
 * verifies the server against the PKI's root, and closes; resolves once the socket has closed,
 * so every ticket the server sent has arrived.
 */
export function callWithSession(
  pki: TestPki,
  url: string,
  options: { client: PkiFile; session?: Buffer | undefined },
): Promise<SessionResponse> {
  return new Promise((resolve, reject) => {
    let session: Buffer | undefined;
    let response: SessionResponse | undefined;
    const req = request(
      url,
      {
        agent: false,
        ca: readFileSync(pki.caFile),
        cert: options.client.certPem,
        key: options.client.keyPem,
        servername: 'localhost',
        ...(options.session ? { session: options.session } : {}),
      },
      (res) => {
        // Asked while the connection is open: after it closes, Node answers null.
        const reused = (res.socket as TLSSocket).isSessionReused();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = jsonBody(chunks);
          response = { status: res.statusCode ?? 0, body, headers: res.headers, reused, session };
        });
      },
    );
    req.on('socket', (socket) => {
      socket.on('session', (ticket: Buffer) => (session = ticket));
      socket.once('close', () => {
        if (!response) return reject(new Error('the connection closed before a response'));
        resolve({ ...response, session });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
