#!/usr/bin/env bash
# Makes an account an admin: promotes an existing one, or creates one with a password read from
# standard input (or HOMEPORT_ADMIN_PASSWORD; never a default).
# usage: scripts/create-admin.sh <email>          (password on stdin for a new account)
#
# Where it runs, first match wins (HOMEPORT_STACK=compose|native|env picks one explicitly):
#   compose  the compose `backend` service of this checkout is running:
#            docker compose exec backend node dist/cli/create-admin.js <email>
#   native   this checkout's native stack (scripts/stack.sh) is running: its database, read
#            from .run/stack/stack.env
#   env      DATABASE_URL (or DATABASE_URL_FILE) in the environment, else from ./.env
# Only the database is needed, so nothing else of the server's configuration has to be set.
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/create-admin.sh <email>" >&2
  exit 64
fi
email=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stack_env="$root/.run/stack/stack.env"

compose_running() {
  command -v docker >/dev/null 2>&1 &&
    docker compose ps --status running --services 2>/dev/null | grep -qx backend
}

native_running() {
  [ -f "$stack_env" ] && bash "$root/scripts/stack.sh" status >/dev/null 2>&1
}

run_local() {
  # From the checkout's root, so relative *_FILE paths (e.g. in .env) mean what they say.
  exec npx --no-install tsx "$root/backend/src/cli/create-admin.ts" "$email"
}

run_compose() {
  # A terminal gets one (the password prompt); a pipe is passed through as standard input.
  if [ -t 0 ]; then
    exec docker compose exec backend node dist/cli/create-admin.js "$email"
  fi
  exec docker compose exec -T backend node dist/cli/create-admin.js "$email"
}

run_native() {
  local url=""
  [ -f "$stack_env" ] && url=$(sed -n 's/^STACK_DATABASE_URL=//p' "$stack_env")
  if [ -z "$url" ]; then
    echo "create-admin: no native stack in this checkout ($stack_env); start it with scripts/stack.sh start" >&2
    exit 78
  fi
  DATABASE_URL=$url
  export DATABASE_URL
  unset DATABASE_URL_FILE
  run_local
}

run_env() {
  if [ -z "${DATABASE_URL:-}${DATABASE_URL_FILE:-}" ] && [ -f .env ]; then
    set -a
    # shellcheck source=/dev/null
    . ./.env
    set +a
  fi
  run_local
}

case "${HOMEPORT_STACK:-}" in
  compose) run_compose ;;
  native) run_native ;;
  env) run_env ;;
  '') ;;
  *) echo "create-admin: HOMEPORT_STACK must be compose, native or env" >&2; exit 64 ;;
esac
if compose_running; then run_compose; fi
if native_running; then run_native; fi
run_env
