import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/**
 * Where the `MANAGEMENT_PORT` listener is, once it listens: health details and metrics are for it
 * (and, for health, for authenticated callers the service-wide allowlist accepts), not for anyone
 * who reaches the main port.
 */
@Injectable()
export class ManagementListener {
  private port: number | undefined;

  /** Called by `listenManagement` with the port it got. */
  listening(port: number): void {
    this.port = port;
  }

  /** `true` when the request arrived through the management listener. */
  carries(request: IncomingMessage | { raw: IncomingMessage }): boolean {
    // Express's request is Node's; Fastify's wraps it in `raw`.
    const raw = 'raw' in request ? request.raw : request;
    return this.port !== undefined && raw.socket.localPort === this.port;
  }
}
