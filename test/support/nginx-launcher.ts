import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The config the repository ships, rendered here exactly as the nginx image's envsubst does. */
export const NGINX_TEMPLATE = new URL(
  '../../deploy/nginx/templates/default.conf.template',
  import.meta.url,
).pathname;

/** Path of the nginx binary, or `undefined` when it is not installed. */
export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

/** Fills `${NAME}` placeholders; a missing variable is an error, as a silent blank would be a bug. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`nginx template variable ${name} is not set`);
    return value;
  });
}

/** A free loopback port (nginx cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningNginx {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs the real nginx binary in the foreground with the shipped server config, in its own prefix
 * folder (pid, logs, temp paths), on a free loopback port.
 */
export async function startNginx(
  dir: string,
  vars: Omit<Record<string, string>, 'NGINX_PORT'>,
): Promise<RunningNginx> {
  const binary = findNginx();
  if (!binary) throw new Error('nginx is not installed');
  const port = await freePort();
  const prefix = join(dir, `nginx-${port}`);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const server = renderTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), {
    ...vars,
    NGINX_PORT: `127.0.0.1:${port}`,
  });
  writeFileSync(join(prefix, 'default.conf'), server);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'logs/error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      `  access_log off;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (t) => `  ${t}_temp_path ${join(prefix, t)};`,
      ),
      `  include ${join(prefix, 'default.conf')};`,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  await waitForPort(port, () => (child.exitCode !== null ? `nginx exited: ${stderr}` : undefined));
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const problem = failed();
    if (problem) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

/**
 * `describe` for nginx tests: in CI (`CI=true`) a missing nginx fails the run; locally the tests
 * are skipped, loudly.
 */
export function nginxAvailability(): { available: boolean } {
  const available = findNginx() !== undefined;
  if (!available) {
    if (process.env.CI === 'true')
      throw new Error('nginx is required in CI (apt-get install -y nginx)');
    process.stderr.write(
      '\n*** nginx is not installed: the nginx e2e tests are SKIPPED (apt-get install -y nginx) ***\n\n',
    );
  }
  return { available };
}
