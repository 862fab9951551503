/**
 * The container's health probe (`HEALTHCHECK` in the Dockerfile, `docker-compose.yml`):
 * `node dist/healthcheck.js [ready|live]` exits 0 when the service answers, 1 otherwise, within
 * 2 s.
 *
 * With `MANAGEMENT_PORT` set (the image sets it), it asks `GET /health/ready` (the default: the
 * instance can serve its callers) or `GET /health/live` (the process answers) on that plain-HTTP
 * listener and wants a 200 with `"status":"ok"`. Use `ready` where the health state decides who
 * gets traffic or who starts next (Compose's `depends_on: service_healthy`), and `live` where an unhealthy container is restarted (Swarm, autoheal): a restart mends
 * a hung process, never a certificate. Without `MANAGEMENT_PORT`, the main port speaks TLS and may
 * require a client certificate, so the probe only checks that the port accepts connections:
 * a TLS client here would need the service's own trust settings, and a probe that skipped
 * verifying the server is not something this project ships.
 *
 * Plain Node, no Nest: it runs every few seconds and must start in milliseconds.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

const TIMEOUT_MS = 2_000;

const PATHS = { ready: '/health/ready', live: '/health/live' } as const;

function probeHealth(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && /"status":"ok"/.test(body)));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function probePort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', () => resolve(false));
  });
}

const which = process.argv[2] ?? 'ready';
if (which !== 'ready' && which !== 'live') {
  process.stderr.write(`usage: node dist/healthcheck.js [ready|live] (got "${which}")\n`);
  process.exit(2);
}
const managementPort = Number(process.env.MANAGEMENT_PORT) || undefined;
const healthy = await (managementPort === undefined
  ? probePort(Number(process.env.PORT) || 8443)
  : probeHealth(managementPort, PATHS[which]));
process.exit(healthy ? 0 : 1);
