import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports.mjs';
import { binaryAvailability, findBinary, runUntilListening } from './proxy-binary.js';

/** The caddy binary, when installed (Debian: apt-get install -y caddy). */
export function findCaddy(): string | undefined {
  return findBinary('caddy', ['/usr/bin/caddy', '/usr/local/bin/caddy', '/usr/sbin/caddy']);
}

/**
 * Whether the Caddy tests can run: in CI (`CI=true`) a missing caddy fails the run; locally the
 * tests are skipped, loudly (as for nginx and HAProxy).
 */
export function caddyAvailability(): { available: boolean } {
  return binaryAvailability('caddy', findCaddy(), 'the Caddy e2e tests');
}

export interface RunningCaddy {
  readonly port: number;
  readonly url: string;
  /** The Host header to send (Caddy compares it with the TLS server name, `localhost`). */
  readonly host: string;
  stop(): Promise<void>;
}

/**
 * Caddy terminating mTLS (`client_auth` mode `verify_if_given` against `caFile`) in front of
 * `appPort` (plain HTTP on loopback), forwarding the client certificate as the `caddy` preset
 * reads it: `header_up X-Client-Cert {http.request.tls.client.certificate_der_base64}`. No admin
 * endpoint, no automatic HTTPS, nothing written outside `dir`. Its site is `localhost`: with client
 * authentication on, Caddy answers 421 to a request whose Host is not the TLS server name, so ask
 * with `Host: localhost:<port>` (what {@link RunningCaddy.host} says) and SNI `localhost`.
 *
 * @see https://caddyserver.com/docs/caddyfile/directives/tls#client_auth
 * @see https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#headers
 */
export async function startCaddy(
  dir: string,
  options: {
    readonly appPort: number;
    readonly serverCertFile: string;
    readonly serverKeyFile: string;
    readonly caFile: string;
  },
): Promise<RunningCaddy> {
  const binary = findCaddy();
  if (!binary) throw new Error('caddy is not installed');
  const port = await freePort();
  const home = join(dir, `caddy-${port}`);
  mkdirSync(home, { recursive: true });
  const config = join(home, 'Caddyfile');
  writeFileSync(
    config,
    [
      '{',
      '\tadmin off',
      '\tauto_https off',
      `\tstorage file_system ${join(home, 'data')}`,
      '}',
      `https://localhost:${port} {`,
      '\tbind 127.0.0.1',
      `\ttls ${options.serverCertFile} ${options.serverKeyFile} {`,
      '\t\tclient_auth {',
      '\t\t\tmode verify_if_given',
      `\t\t\ttrusted_ca_cert_file ${options.caFile}`,
      '\t\t}',
      '\t}',
      `\treverse_proxy 127.0.0.1:${options.appPort} {`,
      '\t\theader_up X-Client-Cert {http.request.tls.client.certificate_der_base64}',
      '\t}',
      '}',
      '',
    ].join('\n'),
  );
  const caddy = await runUntilListening(
    binary,
    ['run', '--config', config, '--adapter', 'caddyfile'],
    port,
    'caddy',
    {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
    },
  );
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    host: `localhost:${port}`,
    stop: () => caddy.stop(),
  };
}
