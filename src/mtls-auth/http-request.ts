import type { IncomingMessage } from 'node:http';

/**
 * The request as a guard or decorator sees it: Express's request is the Node request; Fastify's
 * wraps it in `raw`.
 */
export type HttpRequest = IncomingMessage | { readonly raw: IncomingMessage };

/** The Node request under either adapter's request object. */
export function rawRequest(request: HttpRequest): IncomingMessage {
  return 'raw' in request ? request.raw : request;
}
