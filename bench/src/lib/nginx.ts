import { pathToFileURL } from 'node:url';
import { repoPath } from './repo-paths.js';

/** nginx running the repository's shipped config (deploy/nginx/templates/default.conf.template). */
export interface RunningNginx {
  readonly port: number;
  readonly url: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * The runner the nginx e2e tests use (scripts/lib/nginx.mjs, plain JavaScript shared with
 * test/support), restated as a type because this workspace compiles on its own;
 * `nginx.contract.ts` holds it to the script in `npm run typecheck`.
 */
export interface NginxRunner {
  /** The nginx binary's path, if it is installed. */
  findNginx(): string | undefined;
  /** Starts nginx with the shipped config, its `${NAME}` placeholders filled from `vars`. */
  startNginx(
    dir: string,
    vars: Record<string, string>,
    opts?: { cpus?: string },
  ): Promise<RunningNginx>;
}

/** Imports the shared nginx runner. */
export async function importNginxRunner(): Promise<NginxRunner> {
  return (await import(pathToFileURL(repoPath('scripts/lib/nginx.mjs')).href)) as NginxRunner;
}
