import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { ManagementListener } from './management-listener.js';

/** The only paths the management listener serves. */
const MANAGEMENT_PATHS = new Set([
  '/health',
  '/health/live',
  '/health/ready',
  '/metrics',
  '/callers',
]);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * `MANAGEMENT_PORT`: a second, plain-HTTP listener that serves only the probes (`/health/live`,
 * `/health/ready`, `/health`), `/metrics` and `/callers` (who calls this service), for probes that cannot present a client certificate
 * (`require` mode, Kubernetes). Once it listens, `/metrics` is served here only, and the probes
 * show their details here. Requests go
 * to the same application (same handlers, same registry); anything else answers 404 here.
 * Bind it where only the orchestrator can reach it.
 */
export async function listenManagement(
  app: INestApplication,
  port: number,
  host: string,
): Promise<Server> {
  const instance = app.getHttpAdapter().getInstance() as Handler & { routing?: Handler };
  // Fastify routes through `routing`; an Express application is itself a request handler.
  const handle: Handler =
    typeof instance.routing === 'function' ? instance.routing.bind(instance) : instance;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && MANAGEMENT_PATHS.has(path)) return handle(req, res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        statusCode: 404,
        error: 'Not Found',
        message:
          'The management port serves /health, /health/live, /health/ready, /metrics and /callers only.',
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  app.get(ManagementListener).listening(managementPort(server));
  return server;
}

/** The port the management listener got (for port 0). */
export function managementPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
