import { request } from 'node:https';

/** The TLS options of the client that asks (a CA to check the server against, a certificate). */
export interface ClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * Asks `GET https://127.0.0.1:<port><path>` on a new connection every `everyMs` until it answers
 * 200, and resolves then; rejects when `alive()` turns false first (the process exited) or after
 * `timeoutMs`. The server's certificate is checked against `tls.ca`, so a 200 comes from the
 * server that holds it, not from another process that took the port.
 */
export async function firstAnswer(
  port: number,
  path: string,
  tls: ClientTls,
  alive: () => boolean,
  { everyMs = 5, timeoutMs = 30_000 } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!alive()) throw new Error(`the server on port ${port} exited before answering`);
    if ((await get(port, path, tls)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`no answer from port ${port} within ${timeoutMs} ms`);
}

/** The status of one GET on a new connection, 0 when it fails. */
function get(port: number, path: string, tls: ClientTls): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, servername: 'localhost', agent: false, ...tls },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}
