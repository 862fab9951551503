import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.mjs';
import { binaryAvailability, findBinary, runUntilListening } from './proxy-binary.js';

/** The haproxy binary, when installed. */
export function findHaproxy(): string | undefined {
  return findBinary('haproxy', [
    '/usr/sbin/haproxy',
    '/usr/local/sbin/haproxy',
    '/usr/bin/haproxy',
  ]);
}

/**
 * Whether the HAProxy tests can run: in CI (`CI=true`) a missing haproxy fails the run; locally the
 * tests are skipped, loudly (as for nginx).
 */
export function haproxyAvailability(): { available: boolean } {
  return binaryAvailability(
    'haproxy',
    findHaproxy(),
    'the HAProxy e2e tests (replicas, the haproxy preset)',
  );
}

export interface RunningBalancer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * A TCP round-robin in front of `backends` (loopback ports): HAProxy in `mode tcp`, so TLS passes
 * through untouched and each new connection goes to the next replica, as a Kubernetes Service or
 * a cloud network load balancer spreads them.
 */
export async function startTcpRoundRobin(
  dir: string,
  backends: readonly number[],
): Promise<RunningBalancer> {
  const binary = findHaproxy();
  if (!binary) throw new Error('haproxy is not installed');
  const port = await freePort();
  const config = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 512',
      'defaults',
      '  mode tcp',
      '  timeout connect 2s',
      '  timeout client 30s',
      '  timeout server 30s',
      'frontend replicas',
      `  bind 127.0.0.1:${port}`,
      '  default_backend app',
      'backend app',
      '  balance roundrobin',
      ...backends.map((p, i) => `  server replica${i} 127.0.0.1:${p}`),
      '',
    ].join('\n'),
  );
  const haproxy = await runUntilListening(binary, ['-db', '-f', config], port, 'haproxy');
  return { port, stop: () => haproxy.stop() };
}

export interface RunningTlsProxy extends RunningBalancer {
  readonly url: string;
}

/**
 * HAProxy terminating mTLS in `mode http` in front of `appPort` (plain HTTP on loopback), and
 * forwarding the client certificate as the `haproxy` preset reads it: `%[ssl_c_der,base64]`,
 * `%[ssl_c_chain_der,base64]` and `%[ssl_c_verify]`. `set-header` replaces whatever a client sent
 * under those names. With `ignoreErrors`, certificates that fail HAProxy's verification are let
 * through (`crt-ignore-err all ca-ignore-err all`) with their error number in the verdict, as
 * when the backend decides.
 *
 * @see https://docs.haproxy.org/2.6/configuration.html#5.1-verify
 */
export async function startTlsTerminatingHaproxy(
  dir: string,
  options: {
    readonly appPort: number;
    readonly serverCertPem: string;
    readonly serverKeyPem: string;
    readonly caFile: string;
    readonly ignoreErrors?: boolean;
  },
): Promise<RunningTlsProxy> {
  const binary = findHaproxy();
  if (!binary) throw new Error('haproxy is not installed');
  const port = await freePort();
  const pem = join(dir, `haproxy-${port}.pem`);
  writeFileSync(pem, options.serverCertPem + options.serverKeyPem, { mode: 0o600 });
  const config = join(dir, `haproxy-${port}.cfg`);
  const ignore = options.ignoreErrors ? ' crt-ignore-err all ca-ignore-err all' : '';
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 256',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 30s',
      '  timeout server 30s',
      'frontend tls',
      `  bind 127.0.0.1:${port} ssl crt ${pem} ca-file ${options.caFile} verify optional${ignore}`,
      '  http-request set-header X-SSL-Client-Cert %[ssl_c_der,base64]',
      '  http-request set-header X-SSL-Client-Cert-Chain %[ssl_c_chain_der,base64]',
      '  http-request set-header X-SSL-Client-Verify %[ssl_c_verify]',
      '  default_backend app',
      'backend app',
      `  server app 127.0.0.1:${options.appPort}`,
      '',
    ].join('\n'),
  );
  const haproxy = await runUntilListening(binary, ['-db', '-f', config], port, 'haproxy');
  return { port, url: `https://127.0.0.1:${port}`, stop: () => haproxy.stop() };
}
