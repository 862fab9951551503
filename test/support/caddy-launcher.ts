import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, untilListening } from '../../scripts/lib/ports.mjs';

/** The caddy binary, when installed (Debian: apt-get install -y caddy). */
export function findCaddy(): string | undefined {
  for (const candidate of ['/usr/bin/caddy', '/usr/local/bin/caddy', '/usr/sbin/caddy']) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v caddy'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

/**
 * Whether the Caddy tests can run: in CI (`CI=true`) a missing caddy fails the run; locally the
 * tests are skipped, loudly (as for nginx and HAProxy).
 */
export function caddyAvailability(): { available: boolean } {
  const available = findCaddy() !== undefined;
  if (!available) {
    if (process.env.CI === 'true')
      throw new Error('caddy is required in CI (apt-get install -y caddy)');
    process.stderr.write(
      '\n*** caddy is not installed: the Caddy e2e tests are SKIPPED (apt-get install -y caddy) ***\n\n',
    );
  }
  return { available };
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
  const child = spawn(binary, ['run', '--config', config, '--adapter', 'caddyfile'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
    },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await untilListening(child, port, 'caddy', () => stderr);
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    host: `localhost:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}
