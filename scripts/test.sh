#!/usr/bin/env bash
# The whole test suite: backend (against real Postgres, S3 and SMTP), frontend, and the
# infrastructure checks. Uses services from the environment, else Testcontainers when Docker
# answers, else starts the native ones (scripts/test-services.sh).
# usage: scripts/test.sh [vitest args…]   e.g. scripts/test.sh --project backend items
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ] && ! docker info >/dev/null 2>&1; then
  bash scripts/test-services.sh start
fi
if [ -f .run/test-services.env ] && [ -z "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ]; then
  set -a
  # shellcheck source=/dev/null
  . .run/test-services.env
  set +a
fi

npm run prisma:generate -w backend --silent >/dev/null
exec npx vitest run "$@"
