/**
 * Runs the real nginx binary with the repository's shipped config
 * (deploy/nginx/templates/default.conf.template), rendered as the nginx image's envsubst does.
 * Used by the nginx e2e tests and by the benchmark's forwarded rows (bench/src/lib/nginx.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort, untilListening } from './ports.mjs';
import { join } from 'node:path';

/** The shipped server config template. */
export const NGINX_TEMPLATE = new URL(
  '../../deploy/nginx/templates/default.conf.template',
  import.meta.url,
).pathname;

/** @returns {string | undefined} path of the nginx binary */
export function findNginx() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

/**
 * Fills `${NAME}` placeholders; a variable left unset is an error (a silent blank would be a bug).
 * @param {string} template @param {Record<string, string>} vars
 */
export function renderTemplate(template, vars) {
  return template.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`nginx template variable ${name} is not set`);
    return value;
  });
}

/**
 * Starts nginx in the foreground in its own prefix folder under `dir`, on a free loopback port.
 * @param {string} dir
 * @param {Record<string, string>} vars template variables except NGINX_PORT
 * @param {{ cpus?: string }} [opts] pin nginx to these CPUs with taskset
 * @returns {Promise<{ port: number, url: string, pid: number | undefined, stop(): Promise<void> }>}
 */
export async function startNginx(dir, vars, opts = {}) {
  const binary = findNginx();
  if (!binary) throw new Error('nginx is not installed');
  const port = await freePort();
  const prefix = join(dir, `nginx-${port}`);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  writeFileSync(
    join(prefix, 'default.conf'),
    renderTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), {
      ...vars,
      NGINX_PORT: `127.0.0.1:${port}`,
    }),
  );
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'logs/error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (t) => `  ${t}_temp_path ${join(prefix, t)};`,
      ),
      `  include ${join(prefix, 'default.conf')};`,
      '}',
    ].join('\n'),
  );
  const args = ['-p', prefix, '-c', join(prefix, 'nginx.conf')];
  const child = opts.cpus
    ? spawn('taskset', ['-c', opts.cpus, binary, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c) => (stderr += c.toString()));
  await untilListening(child, port, 'nginx', () => stderr);
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}
