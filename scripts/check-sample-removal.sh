#!/usr/bin/env bash
# CI: the sample is deletable in one step. In a copy of the committed tree, `npm run remove-sample`,
# then build, typecheck, lint and the whole test suite must pass, and start-up must name no route
# of the sample.
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git archive HEAD | tar -x -C "$copy"
cd "$copy"
npm ci --no-audit --no-fund --silent
npm run remove-sample
test ! -e src/example && test ! -e test/example
npm run build --silent
npm run typecheck --silent
npm run lint --silent
CI=true npx vitest run
npm run certs --silent >/dev/null
out=$(PORT=0 MANAGEMENT_PORT=0 timeout 10 node dist/main.js 2>&1 | head -c 20000 || true)
if ! grep -q '/health' <<<"$out"; then echo "start-up did not print /health:"; echo "$out"; exit 1; fi
if grep -q '/api/' <<<"$out"; then echo "start-up still names sample routes:"; echo "$out"; exit 1; fi
echo "== the service without its sample builds, passes its tests and starts"
