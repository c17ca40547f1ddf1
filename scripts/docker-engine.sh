#!/usr/bin/env bash
# A local Docker engine with the compose v2 plugin, for the compose rehearsal
# (scripts/tests/compose-rehearsal.test.ts). Idempotent: reuses an engine that already answers.
#   start   install docker.io from Debian when dockerd is missing, start dockerd in the
#           background (no systemd; log in $DOCKER_ENGINE_STATE/dockerd.log), and install the
#           compose v2 plugin from Debian trixie when `docker compose` is missing
#   status  exit 0 when an engine answers and `docker compose` works
#   stop    stop the dockerd this script started (by its pid file)
# The trixie package is fetched with a private sources list (apt-get download, dpkg-deb -x):
# trixie never enters the machine's own sources.
set -euo pipefail

usage() { echo "usage: $0 start|status|stop" >&2; exit 64; }
[ $# -eq 1 ] || usage

state=${DOCKER_ENGINE_STATE:-/var/lib/homeport-docker-engine}
plugin_dir=/usr/local/lib/docker/cli-plugins

engine_answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }
compose_works() { docker compose version >/dev/null 2>&1; }

apt_install() {
  # apt may be locked by another install on the machine: wait for it (up to 10 minutes).
  for _ in $(seq 1 60); do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>"$state/apt.err"; then
      return 0
    fi
    grep -qi 'lock' "$state/apt.err" || { cat "$state/apt.err" >&2; return 1; }
    sleep 10
  done
  cat "$state/apt.err" >&2
  return 1
}

install_engine() {
  command -v dockerd >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || { echo "dockerd is missing: install docker.io (root needed)" >&2; exit 1; }
  echo "installing docker.io from Debian" >&2
  apt-get update -qq || true
  apt_install docker.io
}

install_compose() {
  compose_works && return 0
  [ "$(id -u)" -eq 0 ] || { echo "docker compose v2 is missing (root needed to install it)" >&2; exit 1; }
  echo "installing the compose v2 plugin from Debian trixie" >&2
  local apt_dir="$state/trixie-apt" work
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d"
  cat >"$apt_dir/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Dir::State::status=/dev/null"
    -o "Debug::NoLocking=1")
  apt-get "${opts[@]}" update -qq
  work=$(mktemp -d)
  chmod 0755 "$work"
  (cd "$work" && apt-get "${opts[@]}" download docker-compose >/dev/null)
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/root"
  install -d "$plugin_dir"
  install -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-compose" "$plugin_dir/docker-compose"
  rm -rf "$work"
  docker compose version >&2
}

start_engine() {
  engine_answers && return 0
  [ "$(id -u)" -eq 0 ] || { echo "no Docker engine answers and only root can start one" >&2; exit 1; }
  echo "starting dockerd (log: $state/dockerd.log)" >&2
  # setsid: the engine outlives this script and the job that called it.
  setsid dockerd --log-level=warn >>"$state/dockerd.log" 2>&1 </dev/null &
  echo $! >"$state/dockerd.pid"
  for _ in $(seq 1 120); do
    engine_answers && return 0
    sleep 0.5
  done
  echo "dockerd did not answer within 60s; see $state/dockerd.log" >&2
  tail -n 20 "$state/dockerd.log" >&2
  exit 1
}

case $1 in
  start)
    mkdir -p "$state"
    install_engine
    start_engine
    install_compose
    docker info --format 'engine {{.ServerVersion}}, storage {{.Driver}}' >&2
    ;;
  status)
    engine_answers && compose_works
    ;;
  stop)
    if [ -s "$state/dockerd.pid" ] && kill -0 "$(cat "$state/dockerd.pid")" 2>/dev/null; then
      kill "$(cat "$state/dockerd.pid")"
      rm -f "$state/dockerd.pid"
    fi
    ;;
  *) usage ;;
esac
