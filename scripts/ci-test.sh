#!/usr/bin/env bash
# The Test stage of the pipeline (jenkins/Jenkinsfile): a clean install from the lockfile, lint,
# typecheck, then the whole suite. With a Docker engine the backend tests get Postgres, MinIO
# and Mailpit from Testcontainers; test results also go to .run/reports/junit.xml.
#
# usage: scripts/ci-test.sh
#
# Environment:
#   CI_TEST_IMAGE  when set (the Jenkins image sets it), the checks run as root in a throwaway
#                  container of that image instead, through the project's own CI entry point
#                  (.ci/run): the infrastructure drills install Debian packages and start native
#                  Postgres, nginx and pebble, which the unprivileged jenkins user cannot. The
#                  container shares this checkout (--volumes-from) and the Docker socket, and
#                  hands the files it created back to the caller's user.
#   DOCKER         Docker command for that container (default: docker)
set -euo pipefail
[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 64; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CI=true

if [ -n "${CI_TEST_IMAGE:-}" ] && [ "${CI_TEST_IN_CONTAINER:-}" != 1 ]; then
  read -r -a docker <<<"${DOCKER:-docker}"
  # Inside a container HOSTNAME is the container's id: the new one mounts the same volumes.
  # Chromium in the end-to-end tests needs more shared memory than Docker's 64 MB default.
  exec "${docker[@]}" run --rm --volumes-from "$HOSTNAME" --workdir "$root" --shm-size 1g \
    --env CI_TEST_IN_CONTAINER=1 --env "CI_TEST_OWNER=$(id -u):$(id -g)" \
    "$CI_TEST_IMAGE" bash scripts/ci-test.sh
fi

if [ "${CI_TEST_IN_CONTAINER:-}" = 1 ]; then
  status=0
  bash .ci/run || status=$?
  # The checkout belongs to the caller; leave nothing it cannot clean up.
  [ -z "${CI_TEST_OWNER:-}" ] || chown -R "$CI_TEST_OWNER" "$root"
  exit "$status"
fi

npm ci --no-audit --no-fund
npm run lint
npm run typecheck
mkdir -p .run/reports
npm test -- --reporter=default --reporter=junit --outputFile.junit=.run/reports/junit.xml
