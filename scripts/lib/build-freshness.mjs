/**
 * Is `dist/` the build of the sources as they are now? The tests spawn the built service, and
 * the scripts import the package's `dist/`: both must run what `src/` says, so they build first
 * when it is missing or stale (scripts/build-if-stale.mjs, test/global-setup.ts).
 *
 * `tsc` rewrites every output on each build, so the build is stale when any source (a file or a
 * folder under `src/` or `packages/<name>/src/`: a deleted file changes its folder) or a tsconfig
 * is newer than the oldest entry point of `dist/`. Stats only, no hashing: about a millisecond.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** @param {string} root @returns {string[]} the packages/<name> folders with a src/ */
function packages(root) {
  const dir = join(root, 'packages');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => existsSync(join(path, 'src')));
}

/**
 * The newest input under `dir` (itself, its folders and files, spec files excepted).
 * @param {string} dir
 * @returns {{ path: string, mtimeMs: number }}
 */
function newestUnder(dir) {
  let newest = { path: dir, mtimeMs: statSync(dir).mtimeMs };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.spec\.ts$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  }
  return newest;
}

/**
 * Why `dist/` must be built again, or `null` when it is the build of the current sources.
 * @param {string} root the repository's folder
 * @returns {string | null}
 */
export function staleBuild(root) {
  const pkgs = packages(root);
  const outputs = [join(root, 'dist/main.js'), ...pkgs.map((p) => join(p, 'dist/index.js'))];
  const missing = outputs.find((path) => !existsSync(path));
  if (missing) return `${relative(root, missing)} is missing`;
  const oldest = Math.min(...outputs.map((path) => statSync(path).mtimeMs));
  const inputs = [
    newestUnder(join(root, 'src')),
    ...pkgs.map((p) => newestUnder(join(p, 'src'))),
    ...[
      join(root, 'tsconfig.json'),
      join(root, 'tsconfig.build.json'),
      ...pkgs.map((p) => join(p, 'tsconfig.build.json')),
    ]
      .filter((path) => existsSync(path))
      .map((path) => ({ path, mtimeMs: statSync(path).mtimeMs })),
  ];
  const newer = inputs.find((input) => input.mtimeMs > oldest);
  return newer ? `${relative(root, newer.path)} is newer than the build` : null;
}

/**
 * Runs `npm run build` when {@link staleBuild} says so; `true` when it built. Throws when the
 * build fails (its compiler errors are on stderr).
 * @param {string} root
 * @param {(line: string) => void} [log]
 */
export function buildIfStale(root, log = (line) => process.stderr.write(`${line}\n`)) {
  const reason = staleBuild(root);
  if (reason === null) return false;
  log(`${reason}: npm run build`);
  const started = Date.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
