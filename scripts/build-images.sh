#!/usr/bin/env bash
# Builds the images a deploy runs — backend (also worker, migrate, secrets), nginx (with the SPA)
# and certbot — tagged with the commit they come from, so scripts/deploy.sh can start exactly
# them and roll back to an earlier tag that is still on the machine.
#
# usage: scripts/build-images.sh <commit-id | image-tag>
#
# A 40-character commit id becomes its first 12 characters (the tag deploy.sh derives the same
# way). Environment: DOCKER (default: docker; may carry options, e.g. "docker --context prod"),
# BACKEND_IMAGE, NGINX_IMAGE, CERTBOT_IMAGE (repository names; see .env.example).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/image-tag.sh
. "$(dirname "$0")/lib/image-tag.sh"
tag=$(image_tag_argument build-images '<commit-id | image-tag>' "$@") || exit

root=$(cd "$(dirname "$0")/.." && pwd)
read -r -a docker <<<"${DOCKER:-docker}"

IMAGE_TAG=$tag "${docker[@]}" compose --project-directory "$root" -f "$root/docker-compose.yml" \
  build backend nginx certbot
printf 'build-images: built %s, %s and %s\n' \
  "${BACKEND_IMAGE:-homeport/backend}:$tag" "${NGINX_IMAGE:-homeport/nginx}:$tag" \
  "${CERTBOT_IMAGE:-homeport/certbot}:$tag" >&2
