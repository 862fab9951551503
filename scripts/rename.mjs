#!/usr/bin/env node
/**
 * npm run rename -- <service-name>: gives the service its own name, in one step, everywhere the
 * starter's name stands for the service:
 *   - package.json and package-lock.json (the root package's name),
 *   - deploy/kubernetes/ (object names, labels and selectors, the ConfigMaps and Secrets, the image,
 *     certificate names, DNS names and SPIFFE IDs) and the nginx template's heading,
 *   - docker-compose.yml (the app's service, so its host name on the compose network) and the
 *     compose e2e's override,
 *   - scripts/dev-certs.mjs (the dev CA's name, this service's own client certificate),
 *   - .env.example, README.md and docs/.
 * Not the auth package (packages/), which names where it comes from, nor CHANGELOG.md (history).
 *
 * The name must be a DNS-1123 label that starts with a letter (it names a Kubernetes Service):
 * lowercase letters, digits and '-', at most 63 characters. The old name is the package's; only
 * whole names are replaced (`nest-mtls-starter-env` yes, `my-nest-mtls-starter` no). Running it
 * again with the same name changes nothing. Prints what it changed; exits 2 on a bad name.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const [to, ...rest] = process.argv.slice(2);

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const workspaces = readdirSync(join(root, 'packages')).flatMap((dir) => {
  const file = join(root, 'packages', dir, 'package.json');
  return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')).name] : [];
});
const problem =
  to === undefined || rest.length > 0
    ? 'give exactly one name'
    : to.length > 63
      ? `"${to}" is ${to.length} characters long; a Kubernetes name has at most 63`
      : !DNS_LABEL.test(to)
        ? `"${to}" is not a DNS-1123 label that starts with a letter: use lowercase letters, digits and '-', a letter first and no '-' last (it names the Kubernetes Service)`
        : workspaces.includes(to)
          ? `"${to}" is the name of a workspace package (packages/)`
          : undefined;
if (problem) {
  process.stderr.write(
    `npm run rename -- <service-name>: ${problem}.\n  e.g. npm run rename -- payments-service\n`,
  );
  process.exit(2);
}

const packageFile = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(packageFile, 'utf8'));
const from = pkg.name;
if (from === to) {
  process.stdout.write(`The service is already named ${to}: nothing to change.\n`);
  process.exit(0);
}

/** The files that name the service, relative to the root. */
function files() {
  const found = ['docker-compose.yml', '.env.example', 'README.md', 'scripts/dev-certs.mjs'];
  found.push('scripts/compose-e2e.override.yml', 'deploy/nginx/templates/default.conf.template');
  const walk = (dir, keep) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path, keep);
      else if (keep(name)) found.push(path);
    }
  };
  walk('deploy/kubernetes', (name) => /\.ya?ml$/.test(name));
  walk('docs', (name) => name.endsWith('.md'));
  return found.filter((path) => existsSync(join(root, path)));
}

const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A whole name: not inside a longer word or name; `-env`, `.services.svc`, `:latest` may follow.
const whole = new RegExp(`(?<![A-Za-z0-9_.-])${escaped}(?![A-Za-z0-9_])`, 'g');
const changed = [];
for (const path of files()) {
  const text = readFileSync(join(root, path), 'utf8');
  let count = 0;
  const renamed = text.replace(whole, () => {
    count++;
    return to;
  });
  if (count === 0) continue;
  writeFileSync(join(root, path), renamed);
  changed.push(`  ${relative(root, join(root, path))}: ${count}`);
}

// The lock file's root package, as npm writes it; then package.json, last, so that a run that
// stopped half-way still finds the old name there and finishes the job when run again.
const lockFile = join(root, 'package-lock.json');
if (existsSync(lockFile)) {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
  if (lock.name === from) lock.name = to;
  if (lock.packages?.['']?.name === from) lock.packages[''].name = to;
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  changed.push('  package-lock.json: the root package');
}
pkg.name = to;
writeFileSync(packageFile, `${JSON.stringify(pkg, null, 2)}\n`);
changed.push('  package.json: name');

process.stdout.write(
  [
    `Renamed ${from} to ${to} (occurrences per file):`,
    ...changed,
    `Then: npm run certs (the dev certificates carry the name), and in a cluster where ${from} runs,`,
    `delete its objects: kubectl apply does not remove what it no longer renders.`,
    '',
  ].join('\n'),
);
