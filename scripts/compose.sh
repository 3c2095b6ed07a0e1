#!/usr/bin/env bash
# The compose stack for real: `make compose-up`, `make compose-down`, `make compose-test`.
#
#   scripts/compose.sh up      base images (stand-ins only where no registry answers), the
#                              image, the stack in production mode; waits until every service
#                              is healthy and every migration step has finished
#   scripts/compose.sh down    removes the stack with its volumes
#   scripts/compose.sh test    starts a Docker engine if none answers, runs tests/compose/
#                              (which brings its own stack up and down), stops the engine again
#                              if it started one
#   scripts/compose.sh engine  only the "start an engine if none answers" part
#
# Settings come from the environment or from .env (see .env.example); docker-compose reads
# .env itself, and the environment wins over it. COMPOSE_PROJECT_NAME and COMPOSE_FILE work as
# docker-compose defines them. Timeouts: COMPOSE_UP_TIMEOUT_S (default 300).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'compose: %s\n' "$*"; }
die() { printf 'compose: ERROR: %s\n' "$*" >&2; exit 1; }

compose() {
  if command -v docker-compose >/dev/null 2>&1; then
    docker-compose "$@"
  else
    docker compose "$@"
  fi
}

engine_answers() { timeout 10 docker version >/dev/null 2>&1; }

# An engine of our own only where none answers and we may start one (root, dockerd present).
# Storage: overlay2 where the kernel and the file system allow it (copy-on-write: a build step
# or a container start costs no copy of the image), else vfs, which works everywhere (overlay on
# overlay included) but copies every layer. DOCKERD_ARGS replaces the choice.
STARTED_ENGINE=
start_dockerd() {  # start_dockerd ARGS...: 0 once it answers, 1 if it exits or stays silent
  mkdir -p var
  say "starting dockerd $*, log var/dockerd.log"
  dockerd "$@" >var/dockerd.log 2>&1 &
  STARTED_ENGINE=$!
  echo "$STARTED_ENGINE" >var/dockerd.pid
  local i
  for ((i = 0; i < 60; i++)); do
    engine_answers && { say "engine up"; return 0; }
    kill -0 "$STARTED_ENGINE" 2>/dev/null || { STARTED_ENGINE=; return 1; }
    sleep 1
  done
  stop_engine
  return 1
}

ensure_engine() {
  engine_answers && return 0
  [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null \
    || die "no Docker engine answers (and dockerd cannot be started here)"
  if [ -n "${DOCKERD_ARGS:-}" ]; then
    # shellcheck disable=SC2086
    start_dockerd $DOCKERD_ARGS && return 0
  else
    start_dockerd --storage-driver=overlay2 && return 0
    say "overlay2 is not available here; trying vfs"
    start_dockerd --storage-driver=vfs && return 0
  fi
  die "dockerd did not start; see var/dockerd.log"
}

stop_engine() {
  [ -n "$STARTED_ENGINE" ] || return 0
  say "stopping the dockerd this run started (pid $STARTED_ENGINE)"
  kill "$STARTED_ENGINE" 2>/dev/null || true
  local i
  for ((i = 0; i < 30; i++)); do
    kill -0 "$STARTED_ENGINE" 2>/dev/null || break
    sleep 1
  done
  kill -9 "$STARTED_ENGINE" 2>/dev/null || true
  rm -f var/dockerd.pid
  STARTED_ENGINE=
}

# Every container of the project: services healthy, one-shot steps (migrations) exited 0.
stack_ready() {
  local ids id state
  ids=$(compose ps -q) || return 1
  [ -n "$ids" ] || return 1
  for id in $ids; do
    state=$(docker inspect -f \
      '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.HostConfig.RestartPolicy.Name}}' "$id")
    # shellcheck disable=SC2086
    set -- $state
    case "$2/$4" in
      running/healthy) ;;
      exited/*)  # one-shot steps (they inherit the image health check: ignore it)
        [ "$3" = 0 ] || { say "$1 exited with $3"; docker logs --tail 30 "$id" >&2 || true
                          return 2; } ;;
      *) return 1 ;;
    esac
  done
  return 0
}

up() {
  local started=$SECONDS timeout=${COMPOSE_UP_TIMEOUT_S:-300} t rc
  ensure_engine
  deploy/standins/build.sh
  t=$SECONDS
  mkdir -p var
  # One service builds the image all of them run (compose would build it once per service).
  compose build intake >var/compose-build.log 2>&1 \
    || { tail -40 var/compose-build.log >&2; die "the image did not build (var/compose-build.log)"; }
  say "image built ($((SECONDS - t)) s)"
  t=$SECONDS
  compose up -d --no-build --remove-orphans
  while :; do
    rc=0
    stack_ready || rc=$?
    [ "$rc" = 0 ] && break
    [ "$rc" = 2 ] && die "a migration step failed"
    if ((SECONDS - t > timeout)); then
      compose ps >&2 || true
      compose logs --tail 40 >&2 || true
      die "the stack was not healthy within $timeout s"
    fi
    sleep 2
  done
  say "stack up ($((SECONDS - t)) s; $((SECONDS - started)) s with the images)"
}

down() {
  local t=$SECONDS
  engine_answers || { say "no Docker engine answers: nothing to take down"; return 0; }
  compose down -v --remove-orphans --timeout 20
  say "stack down ($((SECONDS - t)) s)"
}

compose_test() {
  local t=$SECONDS rc=0
  ensure_engine
  trap stop_engine EXIT
  [ -x .venv/bin/pytest ] || die "no .venv: run make venv first"
  COMPOSE_TEST=1 timeout "${COMPOSE_TEST_TIMEOUT_S:-900}" .venv/bin/pytest tests/compose -q -s \
    -p no:cacheprovider || rc=$?
  say "compose-test $([ "$rc" = 0 ] && echo passed || echo FAILED) ($((SECONDS - t)) s)"
  return "$rc"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  test) compose_test ;;
  engine) ensure_engine; STARTED_ENGINE= ;;
  *) die "usage: scripts/compose.sh up|down|test|engine" ;;
esac
