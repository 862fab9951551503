import type { AppConfig } from './config/app-config.js';

/**
 * This service's own base URL as configured: `https` unless `TLS_ENABLED=false`, `HOST` (a
 * wildcard address, `0.0.0.0` or `::`, read as `localhost`; an IPv6 address in brackets) and
 * `port` (`PORT` unless given, e.g. the port a `PORT=0` listener got). Right on the machine the
 * service runs on; callers behind a proxy, a load balancer or a Kubernetes Service use another
 * address (`OPENAPI_SERVER_URL` names it for the OpenAPI document).
 *
 * @example serviceUrl(config) // 'https://localhost:8443'
 */
export function serviceUrl(
  config: Pick<AppConfig, 'server' | 'tls'>,
  port: number = config.server.port,
): string {
  const scheme = config.tls.enabled ? 'https' : 'http';
  const { host } = config.server;
  const name = ['0.0.0.0', '::'].includes(host)
    ? 'localhost'
    : host.includes(':')
      ? `[${host}]`
      : host;
  return `${scheme}://${name}:${port}`;
}
