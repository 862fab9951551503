import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
// The same generator `npm run certs` uses (nest-mtls-auth/testing).
import { createCrl, createRootCa, issue, writeIssued } from '../../src/testing/pki.js';

type Issued = Awaited<ReturnType<typeof issue>>;

/** A certificate and key on disk, with the parsed certificate. */
export interface PkiFile {
  readonly name: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly x509: X509Certificate;
}

const DAY = 24 * 60 * 60 * 1000;

/** Client certificates made per run, good and deliberately bad. */
export const CLIENTS = [
  'billing',
  'notification',
  'gateway',
  'viaIntermediate',
  'expired',
  'notYetValid',
  'unknownCa',
  'rogue',
  'selfSigned',
  'serverAuthOnly',
  'noEku',
  'caAsClient',
  'twoCn',
  'wildcardOne',
  'wildcardTwo',
  'wildcardSan',
  'revoked',
  'expiresSoon',
  'proxy',
  'rogueProxy',
] as const;
export type ClientName = (typeof CLIENTS)[number];

/** A whole test PKI in a temporary folder, made fresh for each test file. */
export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  /** The root's key (temporary folder only): signs OCSP answers in the tests. */
  readonly caKeyFile: string;
  /** Intermediate + root: the bundle that trusts intermediate-issued certificates. */
  readonly bundleFile: string;
  readonly rogueCaFile: string;
  readonly crlFile: string;
  readonly emptyCrlFile: string;
  readonly server: PkiFile;
  readonly server2: PkiFile;
  readonly clients: Readonly<Record<ClientName, PkiFile>>;
  /** Writes extra files into the PKI folder (for tests that build their own bundles). */
  write(name: string, content: string | Buffer): string;
  /** Issues one more client certificate from the root CA, for the cases of one test file. */
  issueClient(name: string, options: Parameters<typeof issue>[2]): Promise<PkiFile>;
  cleanup(): void;
}

/**
 * Makes a per-run PKI: a root CA, an intermediate, the server, and clients including expired,
 * not yet valid, unknown CA, a rogue CA with the very same name as the real one, self-signed,
 * serverAuth-only, no EKU, a CA certificate as client, two CN attributes, wildcard names, revoked.
 */
export async function createTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-pki-'));
  const root = await createRootCa('ca', 'O=Test, CN=Test Root CA');
  const intermediate = await issue('intermediate', root, {
    subject: 'O=Test, CN=Test Intermediate CA',
    ca: true,
  });
  const other = await createRootCa('other-ca', 'O=Other, CN=Other CA');
  const rogueRoot = await createRootCa('rogue-ca', 'O=Test, CN=Test Root CA');
  const svc = (cn: string, extra: Partial<Parameters<typeof issue>[2]> = {}) => ({
    subject: `O=Test, OU=services, CN=${cn}`,
    dns: [cn],
    ...extra,
  });
  const now = Date.now();
  const made: Record<ClientName, Issued> = {
    billing: await issue(
      'billing',
      root,
      svc('billing-service', { uris: ['spiffe://example.test/ns/prod/sa/billing'] }),
    ),
    notification: await issue(
      'notification',
      root,
      svc('notification-service', { uris: ['spiffe://example.test/ns/staging/sa/notification'] }),
    ),
    gateway: await issue('gateway', root, svc('gateway-service')),
    viaIntermediate: await issue(
      'viaIntermediate',
      intermediate,
      svc('billing-service', { subject: 'O=Test, OU=via-intermediate, CN=billing-service' }),
    ),
    expired: await issue(
      'expired',
      root,
      svc('billing-service', {
        notBefore: new Date(now - 400 * DAY),
        notAfter: new Date(now - 30 * DAY),
      }),
    ),
    notYetValid: await issue(
      'notYetValid',
      root,
      svc('billing-service', {
        notBefore: new Date(now + 30 * DAY),
        notAfter: new Date(now + 400 * DAY),
      }),
    ),
    unknownCa: await issue('unknownCa', other, svc('billing-service')),
    rogue: await issue('rogue', rogueRoot, svc('billing-service')),
    selfSigned: await issue(
      'selfSigned',
      null,
      svc('billing-service', { subject: 'O=Test, OU=self, CN=billing-service' }),
    ),
    serverAuthOnly: await issue(
      'serverAuthOnly',
      root,
      svc('billing-service', { eku: ['serverAuth'] }),
    ),
    noEku: await issue('noEku', root, svc('billing-service', { eku: null })),
    caAsClient: await issue('caAsClient', root, {
      subject: 'O=Test, CN=billing-service',
      ca: true,
      eku: ['clientAuth'],
    }),
    twoCn: await issue('twoCn', root, {
      subject: 'O=Test, CN=billing-service, CN=notification-service',
    }),
    wildcardOne: await issue('wildcardOne', root, svc('api.internal.production')),
    wildcardTwo: await issue('wildcardTwo', root, svc('a.b.internal.production')),
    wildcardSan: await issue('wildcardSan', root, {
      subject: 'O=Test, CN=wild',
      dns: ['*.internal.production'],
    }),
    revoked: await issue(
      'revoked',
      root,
      svc('billing-service', { subject: 'O=Test, OU=revoked, CN=billing-service' }),
    ),
    expiresSoon: await issue(
      'expiresSoon',
      root,
      svc('billing-service', { notAfter: new Date(now + 10 * DAY) }),
    ),
    proxy: await issue('proxy', root, svc('nginx-proxy')),
    rogueProxy: await issue('rogueProxy', rogueRoot, svc('nginx-proxy')),
  };
  const server = await issue('server', root, {
    subject: 'O=Test, CN=localhost',
    dns: ['localhost'],
    ips: ['127.0.0.1', '::1'],
    eku: ['serverAuth'],
  });
  const server2 = await issue('server2', root, {
    subject: 'O=Test, OU=rotated, CN=localhost',
    dns: ['localhost'],
    ips: ['127.0.0.1', '::1'],
    eku: ['serverAuth'],
  });

  const toFile = (item: Issued): PkiFile => {
    writeIssued(dir, item);
    return {
      name: item.name,
      certFile: join(dir, `${item.name}.crt`),
      keyFile: join(dir, `${item.name}.key`),
      certPem: item.certPem,
      keyPem: item.keyPem,
      x509: new X509Certificate(item.certPem),
    };
  };
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const clients = Object.fromEntries(
    Object.entries(made).map(([name, item]) => [name, toFile(item)]),
  ) as Record<ClientName, PkiFile>;
  return {
    dir,
    caFile: write('ca.crt', root.certPem),
    caKeyFile: write('ca.key', root.keyPem),
    bundleFile: write('bundle.crt', intermediate.certPem + root.certPem),
    rogueCaFile: write('rogue-ca.crt', rogueRoot.certPem),
    crlFile: write('ca.crl', await createCrl(root, [made.revoked])),
    emptyCrlFile: write('ca-empty.crl', await createCrl(root, [])),
    server: toFile(server),
    server2: toFile(server2),
    clients,
    write,
    issueClient: async (name, options) => toFile(await issue(name, root, options)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Makes one PKI for the calling test file (filled in before its tests run, removed after).
 *
 * @example const pki = useTestPki(); it('...', () => pki.clients.billing);
 */
export function useTestPki(): TestPki {
  const pki = {} as TestPki;
  beforeAll(async () => {
    Object.assign(pki, await createTestPki());
  });
  afterAll(() => pki.cleanup());
  return pki;
}
