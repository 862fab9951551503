import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadAppConfig } from '../../src/config/app-config.js';

const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

interface Service {
  build?: { context: string; dockerfile: string; target: string };
  image?: string;
  user?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
/** The service's own name (package.json), which its compose service and image carry. */
const NAME = (JSON.parse(read('package.json')) as { name: string }).name;
const app = compose.services[NAME];
const { nginx, e2e, certs } = compose.services;
const template = read('deploy/nginx/templates/default.conf.template');

/** The Dockerfile, stage by stage: its base, and its instructions joined into single lines. */
const stages = new Map<string, { from: string; lines: string[] }>();
{
  let current: { from: string; lines: string[] } | undefined;
  for (const line of read('Dockerfile')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))) {
    const from = /^FROM (\S+) AS (\S+)$/i.exec(line);
    if (from) stages.set(from[2] as string, (current = { from: from[1] as string, lines: [] }));
    else current?.lines.push(line);
  }
}
const stage = (name: string) => {
  const found = stages.get(name);
  if (!found) throw new Error(`no stage ${name} in the Dockerfile`);
  return found;
};
/** The user a stage runs as: its last USER, or its base stage's. */
const userOf = (name: string): string | undefined => {
  const s = stage(name);
  const last = s.lines.filter((l) => l.startsWith('USER ')).at(-1);
  if (last) return last.slice(5).trim();
  return stages.has(s.from) ? userOf(s.from) : undefined;
};

/** `volume:/path[:ro]` entries of a service that name a named volume. */
const namedMounts = (service: Service | undefined) =>
  (service?.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([source]) => source !== undefined && source in compose.volumes)
    .map(([volume = '', path = '', mode]) => ({ volume, path, readOnly: mode === 'ro' }));

/** What the certs job copies into each output folder, by folder. */
const handedOut = new Map<string, string[]>();
for (const m of (certs?.command?.at(-1) ?? '').matchAll(/^\s*cp ([^\n]+) (\/out\/\w+)\/\s*$/gm)) {
  handedOut.set(m[2] as string, (m[1] as string).split(/\s+/));
}
/** The files a service finds under /certs: those copied into the folder its volume came from. */
const certFilesOf = (service: Service | undefined) => {
  const mount = namedMounts(service).find((m) => m.path === '/certs');
  const source = namedMounts(certs).find((m) => m.volume === mount?.volume);
  return new Set((handedOut.get(source?.path ?? '') ?? []).map((f) => `/certs/${f}`));
};

describe('Dockerfile', () => {
  it('runs the service from node:24-slim or newer, as a non-root user, with production dependencies only', () => {
    const runtime = stage('runtime');
    expect(Number(/^node:(\d+)-slim$/.exec(runtime.from)?.[1])).toBeGreaterThanOrEqual(24);
    expect(userOf('runtime')).toBe('node');
    expect(runtime.lines.some((l) => /npm ci .*--omit=dev/.test(l))).toBe(true);
    // Compiled code only: the auth package's and the app's.
    expect(runtime.lines.filter((l) => l.startsWith('COPY --from=build'))).toEqual([
      'COPY --from=build /app/packages/nest-mtls-auth/dist ./packages/nest-mtls-auth/dist',
      'COPY --from=build /app/dist ./dist',
    ]);
    expect([...stages.keys()].at(-1)).toBe('runtime');
  });

  it('has a HEALTHCHECK that runs the compiled readiness probe, which exists in src/', () => {
    const check = stage('runtime').lines.find((l) => l.startsWith('HEALTHCHECK'));
    expect(check).toContain('CMD ["node", "dist/healthcheck.js", "ready"]');
    expect(existsSync(`${root}src/healthcheck.ts`)).toBe(true);
    // The probe reads /health/ready on the management port, which the image therefore sets.
    expect(stage('runtime').lines.join('\n')).toMatch(/^ENV .*\bMANAGEMENT_PORT=9000\b/m);
  });

  it('never copies certificates or keys into an image', () => {
    expect(read('.dockerignore').split('\n')).toContain('certs');
    for (const s of stages.values())
      for (const l of s.lines) expect(l).not.toMatch(/^COPY .*(certs|\.key|\.pem)/);
  });
});

describe('docker-compose.yml', () => {
  it('builds only targets the Dockerfile defines', () => {
    for (const service of [app, e2e, certs]) {
      expect(existsSync(`${root}${service?.build?.dockerfile}`)).toBe(true);
      expect(stages.has(service?.build?.target ?? '')).toBe(true);
    }
    expect(app?.build?.target).toBe('runtime');
  });

  it('names the service after the package (npm run rename keeps them together)', () => {
    const built = Object.entries(compose.services).filter(([, s]) => s.build?.target === 'runtime');
    expect(built.map(([name]) => name)).toEqual([NAME]);
  });

  it('runs every container it builds as the unprivileged node user', () => {
    expect(userOf('runtime')).toBe('node');
    for (const service of [certs, e2e]) {
      expect(service?.user ?? userOf(service?.build?.target ?? '')).toBe('node');
      expect(userOf(service?.build?.target ?? '')).toBe('node');
    }
  });

  it('mounts each volume the certs job writes on a folder its stage makes and gives to its user', () => {
    const tools = stage(certs?.build?.target ?? '');
    const run = tools.lines.filter((l) => l.startsWith('RUN ')).join(' ');
    const owned = /chown node:node ((?:\/\S+ ?)+)/.exec(run)?.[1]?.trim().split(' ') ?? [];
    const made = /mkdir -p ((?:\/\S+ ?)+)/.exec(run)?.[1]?.trim().split(' ') ?? [];
    const mounts = namedMounts(certs);
    expect(mounts.length).toBe(4);
    for (const { path, readOnly } of mounts) {
      expect(readOnly).toBe(false);
      expect(made, path).toContain(path);
      expect(owned, path).toContain(path);
    }
  });

  it('gives every other service its own certificate volume, read-only, and the CA key to none', () => {
    const pki = namedMounts(certs).find((m) => m.path === '/app/certs')?.volume;
    const seen = new Set<string>();
    for (const service of [app, nginx, e2e]) {
      const mounts = namedMounts(service);
      expect(mounts).toHaveLength(1);
      const [mount] = mounts;
      expect(mount).toMatchObject({ path: '/certs', readOnly: true });
      expect(mount?.volume).not.toBe(pki);
      expect(seen.has(mount?.volume ?? '')).toBe(false);
      seen.add(mount?.volume ?? '');
      expect([...certFilesOf(service)]).not.toContain('/certs/ca.key');
      expect(certFilesOf(service).size).toBeGreaterThan(2);
    }
  });

  it('names only certificate files that each service is handed', () => {
    for (const service of [app, nginx]) {
      const paths = Object.values(service?.environment ?? {}).filter((v) =>
        v.startsWith('/certs/'),
      );
      expect(paths.length).toBeGreaterThan(2);
      for (const path of paths) expect(certFilesOf(service), path).toContain(path);
    }
    const dev = read('scripts/dev-certs.mjs');
    for (const file of [...handedOut.values()].flat()) {
      expect(dev, file).toContain(`'${file.replace(/\.(crt|key)$/, '')}'`);
    }
  });

  it("trusts nginx by its client certificate's identity, not by the network", () => {
    expect(app?.environment?.MTLS_TRUSTED_PROXIES).toBeUndefined();
    expect(app?.environment?.MTLS_TRUSTED_PROXY_IDENTITIES).toBe('nginx-proxy');
    expect(nginx?.environment?.PROXY_CERT).toBe('/certs/proxy.crt');
    expect(read('scripts/dev-certs.mjs')).toMatch(/issue\('proxy'[\s\S]*?CN=nginx-proxy/);
    expect(nginx?.environment?.UPSTREAM_SCHEME).toBe('https');
  });

  it("sets an environment the app's own configuration accepts", () => {
    const config = loadAppConfig(app?.environment ?? {});
    expect(config.mtls.settings.trustedProxyIdentities).toEqual(['nginx-proxy']);
    expect(config.server.managementPort).toBe(9000);
  });

  it('mounts the shipped nginx template folder and sets every variable it uses, and no other', () => {
    const mount = nginx?.volumes?.find((v) => v.endsWith(':/etc/nginx/templates:ro'));
    expect(existsSync(`${root}${mount?.split(':')[0]}/default.conf.template`)).toBe(true);
    const used = new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    expect(new Set(Object.keys(nginx?.environment ?? {}))).toEqual(used);
  });

  it('publishes nginx on 127.0.0.1 only, and points nginx and the e2e runner at the right ports', () => {
    const port = nginx?.environment?.NGINX_PORT;
    expect(nginx?.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(app?.ports).toBeUndefined();
    expect(nginx?.environment?.APP_UPSTREAM).toBe(`${NAME}:${app?.environment?.PORT}`);
    expect(e2e?.environment?.TARGET).toBe(`https://nginx:${port}`);
    expect(e2e?.environment?.APP_TARGET).toBe(`https://${NAME}:${app?.environment?.PORT}`);
  });

  it('starts each service only once what it needs is healthy, and restarts the long-running ones', () => {
    expect(app?.depends_on?.certs?.condition).toBe('service_completed_successfully');
    expect(nginx?.depends_on?.[NAME]?.condition).toBe('service_healthy');
    expect(e2e?.depends_on?.nginx?.condition).toBe('service_healthy');
    expect(app?.healthcheck?.test).toEqual(['CMD', 'node', 'dist/healthcheck.js', 'ready']);
    expect(nginx?.healthcheck?.test.join(' ')).toContain('NGINX_PORT');
    for (const service of [app, nginx]) expect(service?.restart).toBe('unless-stopped');
  });

  it('runs the e2e only on demand, with a script that exists', () => {
    expect(e2e?.profiles).toEqual(['e2e']);
    expect(existsSync(`${root}${e2e?.command?.[1]}`)).toBe(true);
    expect(JSON.parse(read('package.json')).scripts['test:compose']).toBe(
      'bash scripts/compose-test.sh',
    );
  });
});

describe('npm run test:compose', () => {
  const override = parse(read('scripts/compose-e2e.override.yml')) as {
    services: Record<string, Service>;
  };

  it("runs the app's image with the test routes instead of the service's own", () => {
    expect(Object.keys(override.services)).toEqual([NAME]);
    const [node, script] = override.services[NAME]?.command ?? [];
    expect(node).toBe('node');
    expect(existsSync(`${root}${script}`)).toBe(true);
    // The runtime image holds dist/ only: the script and its routes come in read-only.
    expect(override.services[NAME]?.volumes).toEqual(['./scripts:/app/scripts:ro']);
    expect(stage('runtime').lines).toContain('WORKDIR /app');
    expect(read('scripts/compose-test.sh')).toMatch(
      /^export COMPOSE_FILE=.*compose-e2e\.override\.yml/m,
    );
  });

  it('calls only routes the test routes have', () => {
    const routes = new Set(
      [...read('scripts/lib/fixture-routes.mjs').matchAll(/Get\('([^']+)'\)/g)].map(
        (m) => `/${m[1]}`,
      ),
    );
    const called = [
      ...read('scripts/compose-e2e.mjs').matchAll(/get\((?:target|appTarget), '([^']+)'/g),
    ].map((m) => m[1]);
    expect(called.length).toBeGreaterThan(4);
    for (const path of called) if (path !== '/health') expect(routes, path).toContain(path);
  });
});
