#!/usr/bin/env bash
# CI: the sample is deletable in one step. In a copy of the committed tree, `npm run remove-sample`
# (twice: the second run changes nothing); then nothing names the sample any more (its folders,
# setting and files anywhere but the changelog and the removal scripts; its routes in the sources,
# docs and deployment), Prettier, build, typecheck, lint and the whole test suite pass, and
# start-up names no route of the sample.
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git archive HEAD | tar -x -C "$copy"
cd "$copy"
had_sample=$([ -e src/example ] && echo yes || echo no)
npm ci --no-audit --no-fund --silent
npm run remove-sample
test ! -e src/example && test ! -e test/example
[ "$(npm run --silent remove-sample)" = 'The sample is already gone.' ]

# A service whose sample is long gone may have routes of the same names: the routes are looked for
# only when this run removed the sample.
names='src/example|test/example|EXAMPLE_|ExampleModule|example\.feature|requests\.http|http-client\.env|/api/relay'
left=$(grep -rnE "$names" . --exclude-dir=node_modules --exclude-dir=dist --exclude-dir=.git \
  --exclude=CHANGELOG.md --exclude=remove-sample.mjs --exclude=check-sample-removal.sh || true)
if [ "$had_sample" = yes ]; then
  # scripts/, test/ and bench/ use routes of the same names for their fixtures
  # (scripts/lib/fixture-routes.mjs, bench/src/fixtures/), and docs/benchmarks.md measures those.
  left+=$'\n'$(grep -rnE '/api/(whoami|invoices|data)\b|/info\b' README.md docs .env.example src deploy \
    docker-compose.yml Dockerfile package.json nest-cli.json .ci --exclude=benchmarks.md || true)
fi
left=$(sed '/^$/d' <<<"$left")
if [ -n "$left" ]; then echo "the sample is still named after npm run remove-sample:"; echo "$left"; exit 1; fi

npx prettier --check . >/dev/null
npm run build --silent
npm run typecheck --silent
npm run lint --silent
CI=true npx vitest run
npm run certs --silent >/dev/null
out=$(PORT=0 MANAGEMENT_PORT=0 timeout 10 node dist/main.js 2>&1 | head -c 20000 || true)
if ! grep -q '/health' <<<"$out"; then echo "start-up did not print /health:"; echo "$out"; exit 1; fi
if grep -q '/api/' <<<"$out"; then echo "start-up still names sample routes:"; echo "$out"; exit 1; fi
echo "== the service without its sample names nothing of it, builds, passes its tests and starts"
