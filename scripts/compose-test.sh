#!/usr/bin/env bash
# npm run test:compose: the docker-compose e2e, start to finish, on Compose v2 or docker-compose 1.29.
#   1. builds the images and brings the stack up detached (certs job, app, nginx), the app with
#      the test routes (scripts/compose-e2e.override.yml), whatever routes the service has;
#   2. waits until app and nginx report healthy;
#   3. runs the e2e runner once (`run --rm e2e`) and keeps its exit status;
#   4. ends the app's process from inside its container, as a crash or an OOM kill would; the
#      service's restart policy must bring it back (its restart count goes up), healthy, and the
#      e2e runner runs again;
#   5. always tears the stack down with its volumes (`down -v`).
# It does not use `up --exit-code-from`: that implies --abort-on-container-exit, and the certs
# job's normal exit can then stop the stack before the e2e has run.
# COMPOSE picks the command (as ../shared/docker/engine.sh exports it); else `docker compose`
# when present, else `docker-compose`. COMPOSE_PROJECT_NAME defaults to a name of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${COMPOSE:-}" ]; then
  if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE="docker-compose"; fi
fi
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-nest-mtls-e2e}
# The app's compose service is named as the package (npm run rename keeps them together).
app_service=$(node -p "require('./package.json').name")
export COMPOSE_FILE="${COMPOSE_FILE:-docker-compose.yml}${COMPOSE_PATH_SEPARATOR:-:}scripts/compose-e2e.override.yml"
TIMEOUT=${COMPOSE_TEST_TIMEOUT:-180}
log() { printf '== compose-test: %s\n' "$*"; }

teardown() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    log "failed (exit $status); last logs:"
    $COMPOSE logs --no-color --tail=40 "$app_service" nginx certs 2>&1 || true
  fi
  $COMPOSE down -v --remove-orphans >/dev/null 2>&1 || true
  exit "$status"
}
trap teardown EXIT

# Waits until every named service's container reports "healthy" (or fails after $TIMEOUT s).
wait_healthy() {
  local deadline=$((SECONDS + TIMEOUT)) service id state
  for service in "$@"; do
    while :; do
      id=$($COMPOSE ps -q "$service" 2>/dev/null || true)
      state=$([ -n "$id" ] && docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || echo missing)
      [ "$state" = healthy ] && break
      if [ "$SECONDS" -ge "$deadline" ]; then
        log "$service is $state after ${TIMEOUT}s"
        return 1
      fi
      sleep 1
    done
    log "$service healthy"
  done
}

log "using $COMPOSE ($($COMPOSE version --short 2>/dev/null || $COMPOSE version | head -1))"
$COMPOSE down -v --remove-orphans >/dev/null 2>&1 || true
$COMPOSE build
$COMPOSE up -d nginx
wait_healthy "$app_service" nginx

log "e2e"
$COMPOSE run --rm --no-deps e2e

app=$($COMPOSE ps -q "$app_service")
restarts=$(docker inspect -f '{{.RestartCount}}' "$app")
log "ending the app's process (restart policy: $(docker inspect -f '{{.HostConfig.RestartPolicy.Name}}' "$app"))"
docker exec "$app" sh -c 'kill -TERM 1'
deadline=$((SECONDS + TIMEOUT))
until [ "$(docker inspect -f '{{.RestartCount}}' "$app")" -gt "$restarts" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { log "the app was not restarted"; exit 1; }
  sleep 1
done
log "app restarted by its restart policy"
wait_healthy "$app_service" nginx
log "e2e after the restart"
$COMPOSE run --rm --no-deps e2e
