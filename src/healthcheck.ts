/**
 * The container's health probe (`HEALTHCHECK` in the Dockerfile, `docker-compose.yml`):
 * `node dist/healthcheck.js` exits 0 when the service answers, 1 otherwise, within 2 s.
 *
 * With `MANAGEMENT_PORT` set (the image sets it), it asks `GET /health` on that plain-HTTP
 * listener and wants a 200 with `"status":"ok"`. Without it, the main port speaks TLS and may
 * require a client certificate, so the probe only checks that the port accepts connections:
 * a TLS client here would need the service's own trust settings, and a probe that skipped
 * verifying the server is not something this project ships.
 *
 * Plain Node, no Nest: it runs every few seconds and must start in milliseconds.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

const TIMEOUT_MS = 2_000;

function probeHealth(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/health', timeout: TIMEOUT_MS },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(res.statusCode === 200 && /"status":"ok"/.test(body)));
      },
    );
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

const managementPort = Number(process.env.MANAGEMENT_PORT) || undefined;
const healthy = await (managementPort === undefined
  ? probePort(Number(process.env.PORT) || 8443)
  : probeHealth(managementPort));
process.exit(healthy ? 0 : 1);
