/**
 * Loopback ports for processes a test starts that cannot take port 0 and report it (`openssl
 * ocsp`, nginx, HAProxy, a built service).
 */
import { createServer } from 'node:net';

/** A loopback port that is free right now (another process may take it before you do). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
