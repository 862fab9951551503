import { fileURLToPath } from 'node:url';

/**
 * A path in the repository, from this file's place in `bench/src/lib/` (or `bench/dist/lib/`,
 * the same depth once compiled).
 */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
}

/** A compiled server of this workspace (`bench/dist/servers/<name>.server.js`). */
export function serverScript(name: string): string {
  return fileURLToPath(new URL(`../servers/${name}.server.js`, import.meta.url));
}
