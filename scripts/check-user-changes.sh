#!/usr/bin/env bash
# CI: the template survives what a team does first. In a copy of the committed tree:
#   - a strategy that lets only billing-service in, named in src/auth.ts (README, "Your users");
#   - a .env whose allowlist admits billing-service and gateway-service, on a management port;
#   - a resource from the real Nest CLI (`nest g resource payments --type rest --crud`);
#   - the sample removed (`npm run remove-sample`).
# Then Prettier, lint, typecheck, build and the whole test suite pass as they are, and the built
# service uses all of it: /payments answers billing-service, the strategy refuses gateway-service
# (which the allowlist admits), the allowlist refuses notification-service, and the doctor says so.
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$copy"
}
trap cleanup EXIT
git archive HEAD | tar -x -C "$copy"
cd "$copy"
npm ci --no-audit --no-fund --silent

mkdir -p src/callers
cat > src/callers/billing-only.strategy.ts <<'TS'
import { Injectable } from '@nestjs/common';
import { ClientCertStrategy, type ClientIdentity } from 'nest-mtls-auth';

/** billing-service, as a user record of its own; every other caller is refused (403). */
@Injectable()
export class BillingOnlyStrategy extends ClientCertStrategy {
  override validate(identity: ClientIdentity) {
    return identity.commonName === 'billing-service' ? { service: 'billing' } : null;
  }
}
TS
node -e "
  const fs = require('node:fs');
  const text = fs.readFileSync('src/auth.ts', 'utf8');
  const named = text.replace(/= undefined;\n\$/, '= BillingOnlyStrategy;\n');
  if (named === text) throw new Error('src/auth.ts does not end with AUTH_STRATEGY = undefined');
  fs.writeFileSync('src/auth.ts',
    \"import { BillingOnlyStrategy } from './callers/billing-only.strategy.js';\n\" + named);
"
printf 'MTLS_ALLOWED_SERVICES=billing-service,gateway-service\nMANAGEMENT_PORT=9000\n' > .env

npx nest g resource payments --type rest --crud </dev/null
test -e src/features/payments/payments.module.ts
grep -q "import { PaymentsModule } from './payments/payments.module.js';" src/features/features.module.ts
npm run remove-sample

npx prettier --check . >/dev/null
npm run lint --silent
npm run typecheck --silent
npm run build --silent
CI=true npx vitest run

# The service as a team runs it: dev certificates, .env, main.js.
npm run certs --silent >/dev/null
port=$(node --input-type=module -e "console.log(await (await import('./scripts/lib/ports.mjs')).freePort())")
PORT=$port MANAGEMENT_PORT=0 node dist/main.js >service.log 2>&1 &
server=$!
status() { # <client> <path>: the HTTP status the service answers that client
  curl -s -o /dev/null -w '%{http_code}' --cacert certs/dev/ca.crt \
    --cert "certs/dev/$1.crt" --key "certs/dev/$1.key" "https://localhost:$port$2"
}
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert certs/dev/ca.crt "https://localhost:$port/health")" = 200 ] && break
  sleep 0.1
done
check() { # <what> <wanted> <got>
  if [ "$2" != "$3" ]; then echo "$1: $3, not $2"; cat service.log; exit 1; fi
  echo "ok $1: $3"
}
check 'GET /payments as billing-service' 200 "$(status billing-service /payments)"
check 'GET /payments as gateway-service (the strategy refuses it)' 403 "$(status gateway-service /payments)"
check 'GET /payments as notification-service (the allowlist refuses it)' 403 "$(status notification-service /payments)"
check 'GET /api/whoami (the sample is gone)' 404 "$(status billing-service /api/whoami)"
doctor=$(node dist/doctor/doctor-cli.js certs/dev/gateway-service.crt || true)
grep -q 'BillingOnlyStrategy.validate() refuses it' <<<"$doctor" || { echo "$doctor"; exit 1; }
echo "ok the doctor names the strategy's refusal"
echo "== a strategy, a generated resource, a .env and no sample: the template's checks pass, the service uses them"
