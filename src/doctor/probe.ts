import { request } from 'node:https';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';

/** What a running service said to the examined certificate. */
export interface ProbeResult {
  readonly server: { readonly subject: string; readonly issuer: string; readonly validTo: string };
  /** The server's certificate verified against `ca` (nothing is sent to a server that fails). */
  readonly trusted: boolean;
  readonly trustError?: string;
  /** The answer to `GET path` with the client certificate, when the server was trusted. */
  readonly answer?: { readonly path: string; readonly status: number; readonly code?: string };
}

export interface ProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly path: string;
}

const names = (n: PeerCertificate['subject']) =>
  Object.entries(n ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .reverse()
    .join(',');

/**
 * Connects to a running service with the client certificate, reports the server's certificate
 * and whether `ca` trusts it, and, only when it does, asks `GET path` and reports the answer.
 */
export async function probe(options: ProbeOptions): Promise<ProbeResult> {
  const { host, port, ca, cert, key } = options;
  const servername = /^[\d.:]+$/.test(host) ? undefined : host;
  // Verification is judged here, not by the handshake, so the presented certificate can be shown
  // even when it fails; no request is sent to a server that fails it.
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const s = connect({ host, port, ca, cert, key, servername, rejectUnauthorized: false }, () =>
      resolve(s),
    );
    s.once('error', reject);
    s.setTimeout(10_000, () => s.destroy(new Error(`no TLS answer from ${host}:${port} in 10 s`)));
  });
  const peer = socket.getPeerCertificate();
  const server = {
    subject: names(peer.subject),
    issuer: names(peer.issuer),
    validTo: peer.valid_to,
  };
  const trusted = socket.authorized;
  const trustError = socket.authorizationError ? String(socket.authorizationError) : undefined;
  socket.destroy();
  if (!trusted) return { server, trusted, trustError };
  const answer = await new Promise<ProbeResult['answer']>((resolve, reject) => {
    const req = request(
      { host, port, path: options.path, ca, cert, key, servername, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          resolve({ path: options.path, status: res.statusCode ?? 0, code });
        });
      },
    );
    req.once('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no HTTP answer in 10 s')));
    req.end();
  });
  return { server, trusted, answer };
}
