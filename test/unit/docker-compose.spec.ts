import { existsSync, readFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

interface Service {
  build?: { context: string; dockerfile: string; target: string };
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
}
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  networks: { mesh: { ipam: { config: { subnet: string }[] } } };
};
const { app, nginx, e2e, certs } = compose.services;
const template = read('deploy/nginx/templates/default.conf.template');

/** Files `scripts/dev-certs.mjs` writes (and the certs service copies to /certs). */
const devCertFiles = new Set(
  [
    'ca',
    'server',
    'billing-service',
    'notification-service',
    'gateway-service',
    'outbound',
  ].flatMap((n) => [`/certs/${n}.crt`, `/certs/${n}.key`]),
);

// Docker cannot run here, so the compose file is checked against the files it names instead.
describe('docker-compose.yml', () => {
  it('builds only targets the Dockerfile defines', () => {
    const targets = [...read('Dockerfile').matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    for (const service of [app, e2e, certs]) {
      expect(existsSync(`${root}${service?.build?.dockerfile}`)).toBe(true);
      expect(targets).toContain(service?.build?.target);
    }
  });

  it('mounts the shipped nginx template folder', () => {
    const mount = nginx?.volumes?.find((v) => v.endsWith(':/etc/nginx/templates:ro'));
    expect(mount).toBeDefined();
    expect(existsSync(`${root}${mount?.split(':')[0]}/default.conf.template`)).toBe(true);
  });

  it('sets every variable the nginx template uses, and no other', () => {
    const used = new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    expect(new Set(Object.keys(nginx?.environment ?? {}))).toEqual(used);
  });

  it('publishes the port nginx listens on and points nginx at the app port', () => {
    const port = nginx?.environment?.NGINX_PORT;
    expect(nginx?.ports).toContain(`${port}:${port}`);
    expect(nginx?.environment?.APP_UPSTREAM).toBe(`app:${app?.environment?.PORT}`);
    expect(e2e?.environment?.TARGET).toBe(`https://nginx:${port}`);
  });

  it("trusts exactly the compose network as proxies, and nginx's upstream scheme matches the app's TLS", () => {
    const subnet = compose.networks.mesh.ipam.config[0]?.subnet;
    expect(app?.environment?.MTLS_TRUSTED_PROXIES).toBe(subnet);
    const [net = '', bits = '0'] = (subnet ?? '').split('/');
    const list = new BlockList();
    list.addSubnet(net, Number(bits));
    expect(list.check(net.replace(/\.0$/, '.10'))).toBe(true);
    expect(nginx?.environment?.UPSTREAM_SCHEME).toBe(
      app?.environment?.TLS_ENABLED === 'false' ? 'http' : 'https',
    );
  });

  it('names only certificate files the certs service produces', () => {
    const paths = [app, nginx]
      .flatMap((s) => Object.values(s?.environment ?? {}))
      .filter((v) => v.startsWith('/certs/'));
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(devCertFiles, path).toContain(path);
  });

  it('runs an e2e script that exists', () => {
    expect(existsSync(`${root}${e2e?.command?.[1]}`)).toBe(true);
  });
});
