#!/usr/bin/env bash
# Starts (or stops) the native services the test suite talks to on machines without Docker:
# Postgres from Debian, s3rver as the S3 server, and an SMTP capture server with a
# Mailpit-compatible HTTP API. Idempotent: reuses whatever already runs.
# Writes the connection settings to .run/test-services.env (sourced by scripts/test.sh).
set -euo pipefail

usage() { echo "usage: $0 start|stop|status|env" >&2; exit 64; }
[ $# -eq 1 ] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.run"
envfile="$run/test-services.env"
# Credentials of the machine-wide services live outside the checkout, so every clone on this
# machine (CI runs in a fresh one) shares them instead of resetting each other's.
machine_state=${HOMEPORT_TEST_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/homeport-test}
s3_port=${TEST_S3_PORT:-4569}
smtp_port=${TEST_SMTP_PORT:-1025}
mail_api_port=${TEST_MAIL_API_PORT:-8025}
pg_port=${TEST_PG_PORT:-5432}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do
    port_open "$port" && return 0
    sleep 0.1
  done
  echo "$name did not start on port $port; see $run/$name.log" >&2
  exit 1
}

as_postgres() { if command -v runuser >/dev/null; then runuser -u postgres -- "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }

# Debian packages the suite talks to: Postgres, nginx with njs, Chromium, the pebble ACME
# server, certbot, shellcheck, CJK fonts. Installed when missing and we may (root with apt); else named.
system_packages=(postgresql nginx-light libnginx-mod-http-js chromium pebble certbot shellcheck openssl)
# Hangul glyphs for Chromium, so browser-test screenshots of Korean pages show text, not boxes.
system_packages+=(fonts-noto-cjk)

ensure_system_packages() {
  local missing=() package
  for package in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing system packages: ${missing[*]} (install them, e.g. sudo apt-get install ${missing[*]})" >&2
    command -v pg_ctlcluster >/dev/null || exit 1
    return 0
  fi
  echo "installing from Debian: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts nginx on install; the tests run their own instances on high ports.
  pkill -f 'nginx: master process /usr/sbin/nginx -g' 2>/dev/null || true
}

start_postgres() {
  if ! port_open "$pg_port"; then
    local version
    version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_port "$pg_port" postgres
  fi
  # A dedicated role with a generated password, kept in .run/ (never committed).
  local password_file="$machine_state/postgres-password"
  [ -s "$password_file" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$password_file"
  local password
  password=$(cat "$password_file")
  as_postgres psql -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$pg_port" -d postgres <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'homeport_test') THEN
    CREATE ROLE homeport_test LOGIN CREATEDB;
  END IF;
END \$\$;
ALTER ROLE homeport_test WITH LOGIN CREATEDB PASSWORD '$password';
SQL
  echo "postgres://homeport_test:$password@127.0.0.1:$pg_port/postgres"
}

start_node_service() {
  local name=$1 port=$2; shift 2
  if port_open "$port"; then return 0; fi
  nohup env -C "$root/backend" "$@" >"$run/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
  wait_port "$port" "$name"
}

start() {
  mkdir -p "$run" "$machine_state"
  chmod 700 "$machine_state"
  [ -d "$root/node_modules" ] || (cd "$root" && npm ci)
  ensure_system_packages
  local database_url
  database_url=$(start_postgres)
  local s3_key_file="$machine_state/s3-secret-key"
  [ -s "$s3_key_file" ] || head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$s3_key_file"
  local s3_secret
  s3_secret=$(cat "$s3_key_file")
  mkdir -p "$run/s3"
  start_node_service s3rver "$s3_port" \
    node "$root/node_modules/s3rver/bin/s3rver.js" --directory "$run/s3" --address 127.0.0.1 --port "$s3_port" \
    --allow-mismatched-signatures --silent
  start_node_service smtp-capture "$smtp_port" \
    node "$root/node_modules/tsx/dist/cli.mjs" test/support/smtp-capture-cli.ts "$smtp_port" "$mail_api_port"
  cat >"$envfile" <<ENV
TEST_DATABASE_URL=$database_url
S3_ENDPOINT=http://127.0.0.1:$s3_port
S3_ACCESS_KEY=S3RVER
S3_SECRET_KEY=$s3_secret
S3_REGION=us-east-1
S3_ENFORCES_POLICIES=false
SMTP_URL=smtp://127.0.0.1:$smtp_port
MAIL_API_URL=http://127.0.0.1:$mail_api_port
ENV
  echo "test services up; settings in $envfile" >&2
}

stop() {
  for name in s3rver smtp-capture; do
    if [ -f "$run/$name.pid" ]; then
      kill "$(cat "$run/$name.pid")" 2>/dev/null || true
      rm -f "$run/$name.pid"
    fi
  done
  echo "s3rver and smtp capture stopped (Postgres is left running)" >&2
}

case "$1" in
  start) start ;;
  stop) stop ;;
  status) for p in "$pg_port" "$s3_port" "$smtp_port" "$mail_api_port"; do port_open "$p" && echo "$p up" || echo "$p down"; done ;;
  env) cat "$envfile" ;;
  *) usage ;;
esac
