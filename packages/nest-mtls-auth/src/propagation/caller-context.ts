import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientIdentity } from '../x509/client-identity.js';

/** The verified caller a request is being handled for. */
export interface CallerContext {
  readonly identity: ClientIdentity;
}

const storage = new AsyncLocalStorage<CallerContext>();

/**
 * Runs `fn` (and everything it awaits) with `context` as the current caller: what the forwarding
 * interceptor does around a handler, so outbound calls can say on whose behalf they are made.
 */
export function runWithCaller<T>(context: CallerContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The caller of the request being handled, if the forwarding interceptor bound one. */
export function currentCaller(): CallerContext | undefined {
  return storage.getStore();
}
