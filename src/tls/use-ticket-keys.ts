import type { Server as TlsServer } from 'node:tls';
import type { TicketKeys } from './ticket-keys.js';

/** The native secure context behind a TLS server, as far as this file touches it. */
interface NativeSecureContext {
  enableTicketKeyCallback?: () => void;
  onticketkeycallback?: TicketKeys['answer'];
}

/** How the server's tickets follow the keys file. */
export type TicketKeyMode = 'every-key' | 'first-key-only';

/**
 * Makes the server encrypt tickets with the first key and decrypt them with every key.
 *
 * Node gives a TLS server one ticket key (`ticketKeys`) and no public way to accept tickets under
 * another, so a rotation would drop every session issued before it. OpenSSL's ticket-key callback
 * can, and Node exposes it on the server's native secure context (`enableTicketKeyCallback` and
 * `onticketkeycallback`, driven by Node's own tests since 0.11): this is the one place that
 * reaches for it. Call it again after every `setSecureContext` (that makes a new context). Where
 * the hook is missing, the first key is set through the public `setTicketKeys`: sessions still
 * resume across replicas, and tickets under an older key take a full handshake.
 */
export function useTicketKeys(server: TlsServer, keys: TicketKeys): TicketKeyMode {
  const context = (server as unknown as { _sharedCreds?: { context?: NativeSecureContext } })
    ._sharedCreds?.context;
  if (typeof context?.enableTicketKeyCallback === 'function') {
    context.onticketkeycallback = keys.answer;
    context.enableTicketKeyCallback();
    return 'every-key';
  }
  server.setTicketKeys(keys.encryptionKey);
  return 'first-key-only';
}
