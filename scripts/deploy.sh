#!/usr/bin/env bash
# Health-gated deploy with automatic rollback (docs/ci-cd.md). Runs the `migrate` one-shot with
# the new images, starts backend, worker, certbot and nginx on them, then waits — bounded, polling — for
# every container of those services to report healthy and for /api/ready to answer 200 through
# nginx. On failure it puts the previously deployed tag back and exits non-zero. The recorded
# state only ever names a tag that passed the health gate.
#
# usage: scripts/deploy.sh <image-tag | commit-id>
#
# A 40-character commit id is shortened to its first 12 characters: the tag that
# scripts/build-images.sh gives the images of that commit.
#
# Environment (all optional):
#   DOCKER                  Docker command, may carry options (default: docker),
#                           e.g. "docker --context production"
#   DEPLOY_STATE_DIR        where the deployed tag is recorded
#                           (default: ${XDG_STATE_HOME:-$HOME/.local/state}/homeport-deploy)
#   DEPLOY_ENV_PATH         env file handed to compose (--env-file): DOMAIN, SMTP_URL, …
#   DOMAIN                  public name of the site (default: localhost)
#   DEPLOY_READY_URL        readiness URL (default: https://$DOMAIN/api/ready)
#   DEPLOY_CONNECT_TO       curl --connect-to value, to reach nginx by its service name while
#                           keeping the public name for TLS, e.g. "::nginx:8443"
#   DEPLOY_CA_FILE          CA bundle the readiness check trusts (curl --cacert)
#   DEPLOY_TLS_INSECURE     true: do not verify the certificate (default: true only for
#                           DOMAIN=localhost, whose certificate is self-signed)
#   DEPLOY_TIMEOUT_SECONDS  how long one rollout may take to become healthy (default: 300)
#   DEPLOY_POLL_SECONDS     pause between two health probes (default: 5)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/image-tag.sh
. "$(dirname "$0")/lib/image-tag.sh"
tag=$(image_tag_argument deploy '<image-tag | commit-id>' "$@") || exit

root=$(cd "$(dirname "$0")/.." && pwd)
read -r -a docker <<<"${DOCKER:-docker}"
state_dir=${DEPLOY_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/homeport-deploy}
domain=${DOMAIN:-localhost}
ready_url=${DEPLOY_READY_URL:-https://$domain/api/ready}
timeout_seconds=${DEPLOY_TIMEOUT_SECONDS:-300}
poll_seconds=${DEPLOY_POLL_SECONDS:-5}
# The services a release replaces (their images carry the tag) and the health gate watches.
services=(backend worker certbot nginx)
# The services a deploy starts if they are missing but never recreates or restarts.
stateful=(postgres minio mailpit)

if ! [[ $timeout_seconds =~ ^[0-9]+$ ]]; then
  echo "deploy: DEPLOY_TIMEOUT_SECONDS must be a whole number of seconds" >&2
  exit 64
fi
if ! [[ $poll_seconds =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
  echo "deploy: DEPLOY_POLL_SECONDS must be a number of seconds" >&2
  exit 64
fi

compose_args=(compose --project-directory "$root" -f "$root/docker-compose.yml")
if [ -n "${DEPLOY_ENV_PATH:-}" ]; then
  if ! [ -r "$DEPLOY_ENV_PATH" ]; then
    echo "deploy: DEPLOY_ENV_PATH $DEPLOY_ENV_PATH is not readable" >&2
    exit 1
  fi
  compose_args+=(--env-file "$DEPLOY_ENV_PATH")
fi

curl_args=(--silent --output /dev/null --write-out '%{http_code}' --max-time 10)
[ -n "${DEPLOY_CONNECT_TO:-}" ] && curl_args+=(--connect-to "$DEPLOY_CONNECT_TO")
[ -n "${DEPLOY_CA_FILE:-}" ] && curl_args+=(--cacert "$DEPLOY_CA_FILE")
insecure_default=false
[ "$domain" = localhost ] && insecure_default=true
[ "${DEPLOY_TLS_INSECURE:-$insecure_default}" = true ] && curl_args+=(--insecure)

log() { printf 'deploy: %s\n' "$*" >&2; }

# Every compose call names the tag being rolled out; compose interpolates it into the images.
rollout_tag=$tag
compose() { IMAGE_TAG=$rollout_tag "${docker[@]}" "${compose_args[@]}" "$@"; }

mkdir -p "$state_dir"
# One deploy at a time: a second one waits for the first instead of interleaving rollouts.
exec 9>"$state_dir/lock"
flock 9

current_file="$state_dir/current-tag"
previous_tag=""
[ -s "$current_file" ] && previous_tag=$(<"$current_file")

# Prints why the services are not healthy yet; prints nothing once every container of every
# service runs and reports healthy.
unhealthy_services() {
  local listing service found name state health
  if ! listing=$(compose ps --format '{{.Service}} {{.State}} {{.Health}}' "${services[@]}" 2>&1); then
    echo "compose ps failed: $listing"
    return
  fi
  for service in "${services[@]}"; do
    found=false
    while read -r name state health; do
      [ "$name" = "$service" ] || continue
      found=true
      if [ "$state" != running ] || [ "$health" != healthy ]; then
        echo "$service is ${state:-unknown}/${health:-without health status}"
      fi
    done <<<"$listing"
    $found || echo "$service has no running container"
  done
}

# Polls until the services are healthy and the readiness URL answers 200, or the deadline.
wait_until_healthy() {
  local deadline=$((SECONDS + timeout_seconds)) problems status
  while :; do
    problems=$(unhealthy_services)
    if [ -z "$problems" ]; then
      status=$(curl "${curl_args[@]}" "$ready_url" 2>/dev/null) || true
      [ "$status" = 200 ] && return 0
      problems="$ready_url answered ${status:-nothing} (want 200)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "not healthy after ${timeout_seconds}s: ${problems//$'\n'/; }"
      return 1
    fi
    sleep "$poll_seconds"
  done
}

# `--no-deps` throughout: the one-shots already ran (`compose run` below), and converging the
# dependencies would recreate the secrets one-shot, whose image carries the tag, and through it
# restart Postgres and MinIO on every rollout and rollback.
start_services() {
  compose up --detach --no-build --no-deps --no-recreate "${stateful[@]}" \
    && compose up --detach --no-build --no-deps "${services[@]}"
}

record() {
  printf '%s\n' "$1" >"$current_file.tmp"
  mv "$current_file.tmp" "$current_file"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >>"$state_dir/history"
}

log "deploying $tag (currently deployed: ${previous_tag:-none})"

# The new version's secrets one-shot adds any secret it needs that the volume lacks (it never
# changes one that exists); then the database is brought up as it is (`--no-recreate`: a deploy
# never restarts Postgres) and the migrations run beside it (`--no-deps`: `compose run` would
# otherwise recreate the dependencies whose image tag changed). Migrations run before any service
# changes, so a failing one leaves the running version alone.
if ! compose run --rm --no-deps secrets \
  || ! compose up --detach --no-build --no-deps --no-recreate postgres \
  || ! compose run --rm --no-deps migrate; then
  log "FAILED: the migrate one-shot of $tag failed; running services were not touched (still ${previous_tag:-none})"
  exit 1
fi

if start_services && wait_until_healthy; then
  record "$tag"
  log "$tag is deployed and healthy"
  exit 0
fi

if [ -z "$previous_tag" ]; then
  log "FAILED: first deploy of $tag did not become healthy and there is no previous tag to roll back to;"
  log "services are left as they are: inspect them with 'docker compose ps' and 'docker compose logs backend worker certbot nginx'"
  exit 1
fi
if [ "$previous_tag" = "$tag" ]; then
  log "FAILED: redeploy of the current tag $tag did not become healthy; there is no other tag to roll back to"
  exit 1
fi

# Migrations are not reversed: the previous images run on the newer schema, which is why
# migrations follow expand/contract (docs/ci-cd.md).
log "rolling back to $previous_tag"
rollout_tag=$previous_tag
if start_services && wait_until_healthy; then
  log "FAILED: $tag did not become healthy; rolled back to $previous_tag, which is healthy again"
  exit 1
fi
log "FAILED: $tag did not become healthy and the rollback to $previous_tag is not healthy either; act by hand"
exit 2
