#!/usr/bin/env bash
# CI: nest-mtls-auth installs from its tarball into a fresh Nest app outside the repository and
# works there. `npm pack -w nest-mtls-auth` (a clean build; the manifest without its `source`
# conditions, scripts/package-manifest.mjs); the tarball holds dist/*.js, dist/*.d.ts, README and
# package.json only. In a temporary folder, the app of scripts/package-consumer/ installs the
# tarball and its peers from the registry (`npm install`, the versions of the root package.json),
# compiles with its own TypeScript (nodenext, ESM, decorator metadata; the entry's .d.ts checked),
# and on Express and on Fastify serves HTTPS with `mtlsServerOptions()` on port 0: its protected
# route answers 401 MTLS_CERT_MISSING without a certificate, 200 to billing-service, and 403
# MTLS_SERVICE_FORBIDDEN to notification-service (outside `allowedServices`). Every subpath of
# `exports` resolves in the install, and a CommonJS app can require() the package.
#
# CONSUMER_VERSIONS='{"@nestjs/core":"12.0.0",...}' installs other versions (e.g. the lower ends of
# the peer ranges) instead of the root package.json's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(cd "$(mktemp -d)" && pwd -P)
trap 'rm -rf "$work"' EXIT
case "$work/" in "$repo"/*) echo "the temporary folder $work is inside the repository" >&2; exit 1 ;; esac

npm pack -w nest-mtls-auth --pack-destination "$work" --silent >/dev/null
tarball=$(ls "$work"/nest-mtls-auth-*.tgz)
unwanted=$(tar -tzf "$tarball" | grep -vE '^package/(package\.json|README\.md|LICENSE|dist/.+\.(js|d\.ts))$' || true)
if [ -n "$unwanted" ]; then echo "the tarball holds files a user does not need:"$'\n'"$unwanted" >&2; exit 1; fi
if tar -xOzf "$tarball" package/package.json | grep -q '"source"'; then
  echo 'the packed package.json still has a "source" condition' >&2; exit 1
fi
echo "ok $(basename "$tarball"): $(tar -tzf "$tarball" | wc -l) files, $(du -k "$tarball" | cut -f1) kB"

app="$work/app"
cp -r scripts/package-consumer "$app"
TARBALL=$tarball CONSUMER_VERSIONS=${CONSUMER_VERSIONS:-'{}'} node --input-type=module -e "
  import { readFileSync, writeFileSync } from 'node:fs';
  const root = JSON.parse(readFileSync('package.json', 'utf8'));
  const ranges = { ...root.dependencies, ...root.devDependencies };
  const overrides = JSON.parse(process.env.CONSUMER_VERSIONS);
  const pick = (names) => Object.fromEntries(names.map((n) => [n, overrides[n] ?? ranges[n]]));
  const manifest = {
    name: 'nest-mtls-auth-consumer',
    private: true,
    type: 'module',
    dependencies: {
      'nest-mtls-auth': 'file:' + process.env.TARBALL,
      ...pick(['@nestjs/common', '@nestjs/core', '@nestjs/passport', '@nestjs/platform-express',
        '@nestjs/platform-fastify', 'passport', 'reflect-metadata', 'rxjs']),
    },
    devDependencies: pick(['typescript', '@types/node', '@peculiar/x509']),
  };
  for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }))
    if (!range) throw new Error('the root package.json names no version of ' + name);
  writeFileSync('$app/package.json', JSON.stringify(manifest, null, 2));
"
cd "$app"
npm install --no-audit --no-fund --loglevel=error
installed=$(node -p "require('node:fs').realpathSync(require.resolve('nest-mtls-auth/package.json'))")
[ "$installed" = "$app/node_modules/nest-mtls-auth/package.json" ] || {
  echo "nest-mtls-auth resolves to $installed, not to the installed tarball" >&2; exit 1
}
node -e "
  const read = (n) => JSON.parse(require('node:fs').readFileSync('node_modules/' + n + '/package.json', 'utf8'));
  const v = (n) => n + '@' + read(n).version;
  console.log('ok installed outside the repository: ' + ['nest-mtls-auth', '@nestjs/core', '@nestjs/passport',
    '@nestjs/platform-express', '@nestjs/platform-fastify', 'typescript'].map(v).join(' '));
"

# The app's tsconfig skips libraries' declarations, as `nest new` writes it (@peculiar/x509's, under
# nest-mtls-auth/testing, need the DOM lib); tsconfig.lib-check.json checks the package entry's own.
./node_modules/.bin/tsc -p tsconfig.json
./node_modules/.bin/tsc -p tsconfig.lib-check.json
echo "ok compiled with TypeScript $(./node_modules/.bin/tsc --version | cut -d' ' -f2); the entry's declarations check with skipLibCheck off"

node --input-type=module -e "
  import { existsSync, readFileSync } from 'node:fs';
  const dir = 'node_modules/nest-mtls-auth/';
  const { exports } = JSON.parse(readFileSync(dir + 'package.json', 'utf8'));
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  const missing = targets(exports).filter((target) => !existsSync(dir + target));
  if (missing.length > 0) throw new Error('exports name files the tarball lacks: ' + missing.join(', '));
  for (const subpath of Object.keys(exports)) {
    const name = 'nest-mtls-auth' + subpath.slice(1);
    if (subpath.endsWith('.json')) await import(name, { with: { type: 'json' } });
    else await import(name);
  }
  console.log('ok every target of exports is in the tarball; each subpath imports: ' + Object.keys(exports).join(', '));
"
node -e "if (typeof require('nest-mtls-auth').MtlsAuthModule !== 'function') process.exit(1)"
echo 'ok a CommonJS app can require() it'

node dist/main.js
echo "ok in ${SECONDS}s"
