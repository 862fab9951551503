import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRootCa, issue, writeIssued, type Issued } from 'nest-mtls-auth/testing';

/** A throwaway PKI in a temporary folder: `<name>.crt` and `<name>.key` for each item. */
export interface BenchPki {
  readonly dir: string;
  /** The CA that issues the server's certificate (and the clients', unless they have their own). */
  readonly root: Issued;
  /** `localhost` and 127.0.0.1, serverAuth. */
  readonly server: Issued;
  /** The path of `<name>.crt` or `<name>.key` in {@link dir}. */
  file(name: string): string;
  /** Writes more items (clients, a proxy) to {@link dir}. */
  write(...items: Issued[]): void;
  /** Deletes the folder. */
  remove(): void;
}

/** Makes a CA and the benchmarks' server certificate in a new temporary folder. */
export async function createBenchPki(prefix: string): Promise<BenchPki> {
  const dir = mkdtempSync(join(tmpdir(), `mtls-bench-${prefix}-`));
  const root = await createRootCa('ca', 'O=Bench, CN=Bench CA');
  const server = await issueBenchServer(root);
  const pki: BenchPki = {
    dir,
    root,
    server,
    file: (name) => join(dir, name),
    write: (...items) => {
      for (const item of items) writeIssued(dir, item);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  pki.write(root, server);
  return pki;
}

/** The benchmarks' server certificate: `localhost` and 127.0.0.1, serverAuth. */
export function issueBenchServer(root: Issued): Promise<Issued> {
  return issue('server', root, {
    subject: 'CN=localhost',
    dns: ['localhost'],
    ips: ['127.0.0.1'],
    eku: ['serverAuth'],
  });
}
