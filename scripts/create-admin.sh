#!/usr/bin/env bash
# Makes an account an admin: promotes an existing one, or creates one with a password read from
# standard input (never a default). Runs inside the compose backend container when it is up,
# else locally with the environment of the shell (DATABASE_URL etc., e.g. from .env).
# usage: scripts/create-admin.sh <email>          (password on stdin for a new account)
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/create-admin.sh <email>" >&2
  exit 64
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if docker compose ps --status running --services 2>/dev/null | grep -qx backend; then
  exec docker compose exec -T backend node dist/cli/create-admin.js "$1"
fi
if [ -f .env ]; then
  set -a
  # shellcheck source=/dev/null
  . ./.env
  set +a
fi
cd backend
exec npx --no-install tsx src/cli/create-admin.ts "$1"
