#!/usr/bin/env bash
# The whole test suite: backend (against real Postgres, S3 and SMTP), frontend, and the
# infrastructure checks. Uses services from the environment, else Testcontainers when
# HOMEPORT_TEST_SERVICES=containers (its images must be pullable or present), else starts the
# native ones (scripts/test-services.sh). A Docker engine that merely answers changes nothing.
# usage: scripts/test.sh [vitest args…]   e.g. scripts/test.sh --project backend items
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ] && [ "${HOMEPORT_TEST_SERVICES:-native}" != containers ]; then
  bash scripts/test-services.sh start
fi
if [ -f .run/test-services.env ] && [ -z "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ] \
  && [ "${HOMEPORT_TEST_SERVICES:-native}" != containers ]; then
  set -a
  # shellcheck source=/dev/null
  . .run/test-services.env
  set +a
fi

npm run prisma:generate -w backend --silent >/dev/null
exec npx vitest run "$@"
