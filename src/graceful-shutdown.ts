import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';

/** How long in-flight requests get to finish after SIGTERM before connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** How long a connection may stay silent after SIGTERM before it is closed as idle. */
const QUIET_MS = 500;

/**
 * Lets keep-alive clients leave without a reset when the service stops. From the signal on, the
 * server accepts no new connection, and every answer carries `Connection: close` (also the
 * answers of requests already in flight, whose headers are not sent yet), so each client leaves
 * after its next answer. A connection that stays silent for {@link QUIET_MS} is closed as idle.
 *
 * Closing idle connections at the signal, as `http.Server#close()` does, races with requests
 * their clients are sending at that moment: measured here, a keep-alive client in a loop got
 * `ECONNRESET` on most shutdowns. So listening stops through `net.Server`'s own `close()`, which
 * leaves open connections alone, and idle ones are closed only once they have been quiet.
 *
 * Tracks the responses in flight (a set entry per request, removed when it closes): what it costs
 * to reach the answers that started before the signal, which Node offers no other way to mark.
 */
export class ConnectionDrain {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();

  constructor(private readonly server: Server) {
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (this.draining) {
        res.setHeader('connection', 'close');
        return;
      }
      this.inFlight.add(res);
      res.once('close', () => this.inFlight.delete(res));
    });
  }

  /**
   * Starts draining; resolves once every connection has closed, or after {@link SHUTDOWN_GRACE_MS},
   * when the rest are cut.
   */
  async start(): Promise<void> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    this.inFlight.clear();
    NetServer.prototype.close.call(this.server);
    const started = Date.now();
    for (;;) {
      const open = await new Promise<number>((resolve) =>
        this.server.getConnections((error, count) => resolve(error ? 0 : count)),
      );
      const elapsed = Date.now() - started;
      if (open === 0) return;
      if (elapsed >= SHUTDOWN_GRACE_MS) {
        this.server.closeAllConnections();
        return;
      }
      if (elapsed >= QUIET_MS) this.server.closeIdleConnections();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Graceful shutdown: on SIGTERM or SIGINT, stop accepting connections, drain (see
 * {@link ConnectionDrain}), run the modules' shutdown hooks, and exit 0. Nest's own shutdown
 * hooks would re-raise the signal and end the process by it instead.
 */
export function drainOnSignals(app: INestApplication, management?: Server): void {
  const drain = new ConnectionDrain(app.getHttpServer() as Server);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal}: draining in-flight requests\n`);
    management?.close();
    drain
      .start()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
