import type { Server } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * Refuses TLS 1.2 renegotiation on every connection: the identity of a connection is computed
 * once and must not change under it (TLS 1.3 has no renegotiation at all).
 */
export function hardenTlsServer(server: Server): void {
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
}
