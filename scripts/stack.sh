#!/usr/bin/env bash
# The whole Homeport stack natively, as compose runs it but without Docker: Postgres, s3rver and
# the SMTP capture (scripts/test-services.sh), a stack database with the committed migrations,
# secrets from the compose generator, two backend processes and a worker, the built SPA, and
# Debian's nginx running the rendered nginx/templates on high ports with a self-signed cert.
# usage: scripts/stack.sh start|stop|status|env
#
# Every instance has its own database, bucket, ports and state, so two checkouts (or a test run
# beside a demo) never share data, jobs, outbox or rate-limit counters. The instance is this
# checkout, or STACK_NAME (letters, digits, "-"; several instances of one checkout):
#   database homeport_stack_<id>, bucket homeport-stack-<id>, state .run/stack/ (with STACK_NAME:
#   .run/stack-<name>/), ports a block of 20 from 20000-39999 chosen by the instance's hash
#   (HTTP, HTTPS, two backends, their metrics, the worker's metrics) — or STACK_HTTP_PORT,
#   STACK_HTTPS_PORT, STACK_BACKEND_PORTS ("p1 p2"), STACK_WORKER_METRICS_PORT. <id> is STACK_NAME, else a hash of the checkout's path.
# `start` writes the instance's settings to <state>/stack.env; `status` and `stop` read them
# back from there, so they always mean this instance, whatever the environment says. `env`
# prints the settings this instance starts with. STACK_SKIP_BUILD=1 reuses the current build.
# `stop` keeps the state, database and bucket; the shared test services keep running.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status|env" >&2; exit 64; }
[ $# -eq 1 ] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
name=${STACK_NAME:-}
if [ -n "$name" ] && ! [[ $name =~ ^[a-z0-9][a-z0-9-]{0,19}$ ]]; then
  echo "stack: STACK_NAME must be 1-20 lower-case letters, digits or '-'" >&2
  exit 64
fi
hash=$(printf '%s' "${name:-$root}" | sha256sum | cut -c1-12)
id=${name:-${hash:0:10}}
state="$root/.run/stack${name:+-$name}"
base=$((20000 + (16#${hash:0:8} % 1000) * 20))
database="homeport_stack_${id//-/_}"
bucket="homeport-stack-$id"
http_port=${STACK_HTTP_PORT:-$base}
https_port=${STACK_HTTPS_PORT:-$((base + 1))}
read -r -a backend_ports <<<"${STACK_BACKEND_PORTS:-$((base + 2)) $((base + 3))}"
# The worker's scrape port, in the instance's block too (two instances must not share one).
worker_metrics_port=${STACK_WORKER_METRICS_PORT:-$((base + 19))}
public_url="https://localhost:$https_port"

# status and stop act on the instance as it was started, not on what the environment says now.
if [ "$1" != start ] && [ "$1" != env ] && [ -f "$state/stack.env" ]; then
  public_url=$(sed -n 's/^STACK_URL=//p' "$state/stack.env")
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A pid file names a live process of this instance: one whose command line names this checkout
# (node runs in backend/, nginx and the cert watcher get paths under it), never a reused pid.
pid_alive() {
  local pid
  [ -f "$state/$1.pid" ] || return 1
  pid=$(cat "$state/$1.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$root/" ||
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$root/backend" ]
}

wait_for() {
  local what=$1 log=$2; shift 2
  for _ in $(seq 1 300); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  echo "stack: $what did not come up; last lines of $log:" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
}

ensure_packages() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx-light)
  [ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] || missing+=(libnginx-mod-http-js)
  command -v envsubst >/dev/null || missing+=(gettext-base)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "stack: installing ${missing[*]} from Debian" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

load_service_env() {
  set -a
  # shellcheck source=/dev/null
  . "$root/.run/test-services.env"
  set +a
}

prepare_database() {
  local admin_url=$TEST_DATABASE_URL
  if [ -z "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    psql "$admin_url" -qc "CREATE DATABASE $database"
  fi
  DATABASE_URL="${admin_url%/*}/$database"
  export DATABASE_URL
  (cd "$root" && npm run migrate:native -w backend --silent)
}

build() {
  if [ "${STACK_SKIP_BUILD:-}" = 1 ] && [ -f "$root/backend/dist/server.js" ] && [ -f "$root/frontend/dist/index.html" ]; then
    return 0
  fi
  (cd "$root" && npm run build -w backend --silent >"$state/build-backend.log" 2>&1) || {
    echo "stack: backend build failed; see $state/build-backend.log" >&2; exit 1; }
  if ! (cd "$root" && npm run build -w frontend --silent >"$state/build-frontend.log" 2>&1); then
    if [ -f "$root/frontend/dist/index.html" ]; then
      echo "stack: frontend build failed (see $state/build-frontend.log); serving the previous build" >&2
    else
      echo "stack: frontend build failed; see $state/build-frontend.log" >&2
      exit 1
    fi
  fi
}

backend_environment() {
  export NODE_ENV=production LOG_LEVEL=${LOG_LEVEL:-info} HOST=127.0.0.1
  export PUBLIC_URL=$public_url S3_BUCKET=$bucket TRUST_PROXY_HOPS=1
  export JWT_PRIVATE_KEY_FILE=$state/secrets/jwt_private_key.pem
  export JWT_PUBLIC_KEY_FILE=$state/secrets/jwt_public_key.pem
  export STORAGE_WEBHOOK_SECRET_FILE=$state/secrets/storage_webhook_secret
  export MAIL_WEBHOOK_SECRET_FILE=$state/secrets/mail_webhook_secret
  # As in compose: two-step sign-in and board webhooks are on, their keys in the secrets folder.
  export MFA_ENCRYPTION_KEY_FILE=$state/secrets/mfa_encryption_key
  export WEBHOOKS_ENCRYPTION_KEY_FILE=$state/secrets/webhooks_encryption_key
}

start_process() {
  local name=$1; shift
  if pid_alive "$name"; then return 0; fi
  # No subshell: the process is this script's own child with every stdio redirected, so nothing
  # lingers holding the caller's output open, and $! is node's pid.
  nohup env -C "$root/backend" "$@" >>"$state/$name.log" 2>&1 </dev/null &
  echo $! >"$state/$name.pid"
}

backend_healthy() { curl -fs -o /dev/null "http://127.0.0.1:$1/api/health"; }
gateway_healthy() { curl -fsk -o /dev/null "$public_url/api/health"; }

nginx_args() { echo -p "$state/nginx/" -c "$state/nginx/nginx.conf" -e "$state/nginx-error.log"; }

start_nginx() {
  python3 "$root/certbot/tls.py" self-signed "$state/certs" localhost >/dev/null
  mkdir -p "$state/acme" "$state/nginx-temp"
  local servers=""
  for port in "${backend_ports[@]}"; do servers+="server 127.0.0.1:$port max_fails=3 fail_timeout=10s; "; done
  NGINX_MODULES_DIR=/usr/lib/nginx/modules \
  NGINX_PID_FILE="$state/nginx.pid" \
  NGINX_ERROR_LOG="$state/nginx-error.log" \
  NGINX_ACCESS_LOG="$state/nginx-access.log" \
  NGINX_TEMP_DIR="$state/nginx-temp" \
  NGINX_RESOLVER=127.0.0.1 \
  NGINX_HTTP_PORT=$http_port \
  NGINX_HTTPS_PORT=$https_port \
  NGINX_NJS_DIR="$root/nginx/njs" \
  BACKEND_UPSTREAM_SERVERS="$servers" \
  STORAGE_UPSTREAM_SERVERS="server ${S3_ENDPOINT#http://};" \
  TLS_DIR="$state/certs" \
  ACME_WEBROOT="$state/acme" \
  SPA_ROOT="$root/frontend/dist" \
  PUBLIC_HTTPS_PORT_SUFFIX=":$https_port" \
  S3_BUCKET=$bucket \
  GATEWAY_PUBLIC_KEY_FILE="$state/secrets/jwt_public_key.pem" \
    bash "$root/scripts/render-nginx.sh" "$state/nginx"
  # shellcheck disable=SC2046 # the arguments are paths without spaces under .run/
  if pid_alive nginx; then
    nginx $(nginx_args) -s reload
  else
    nginx $(nginx_args)
  fi
  if ! pid_alive cert-watch; then
    # shellcheck disable=SC2046
    CERT_WATCH_INTERVAL=${CERT_WATCH_INTERVAL:-2} nohup sh "$root/nginx/cert-watch.sh" "$state/certs" \
      $(nginx_args) >>"$state/cert-watch.log" 2>&1 </dev/null &
    echo $! >"$state/cert-watch.pid"
  fi
}

# Refuses ports another program (another instance) already listens on, naming them.
check_ports() {
  local busy=() port
  for port in "$http_port" "$https_port" "${backend_ports[@]}" "$worker_metrics_port"; do
    port_open "$port" && busy+=("$port")
  done
  if [ ${#busy[@]} -gt 0 ]; then
    echo "stack: ports ${busy[*]} are in use by another program; set STACK_NAME or STACK_*_PORT(S)" >&2
    exit 69
  fi
}

start() {
  mkdir -p "$state"
  if ! pid_alive nginx && ! pid_alive backend-1; then check_ports; fi
  ensure_packages
  bash "$root/scripts/test-services.sh" start
  load_service_env
  DATABASE_HOST=127.0.0.1 DATABASE_NAME=$database node "$root/scripts/generate-secrets.mjs" \
    "$state/secrets" >/dev/null
  prepare_database
  build
  backend_environment
  local index=1
  for port in "${backend_ports[@]}"; do
    PORT=$port METRICS_PORT=$((port + 10)) start_process "backend-$index" node dist/server.js
    index=$((index + 1))
  done
  WORKER_METRICS_PORT=$worker_metrics_port start_process worker node dist/worker.js
  index=1
  for port in "${backend_ports[@]}"; do
    wait_for "backend-$index" "$state/backend-$index.log" backend_healthy "$port"
    index=$((index + 1))
  done
  start_nginx
  wait_for nginx "$state/nginx-error.log" gateway_healthy
  local logs=""
  for index in $(seq 1 ${#backend_ports[@]}); do logs+="$state/backend-$index.log "; done
  cat >"$state/stack.env" <<ENV
STACK_URL=$public_url
STACK_HTTP_URL=http://localhost:$http_port
STACK_STATE=$state
STACK_BUCKET=$bucket
STACK_DATABASE=$database
STACK_DATABASE_URL=$DATABASE_URL
STACK_BACKEND_PORTS="${backend_ports[*]}"
STACK_BACKEND_LOGS="$logs"
ENV
  echo "stack: up at $public_url (logs and pids in $state)" >&2
}

stop_process() {
  local name=$1
  pid_alive "$name" || { rm -f "$state/$name.pid"; return 0; }
  local pid
  pid=$(cat "$state/$name.pid")
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$state/$name.pid"
}

stop() {
  stop_process cert-watch
  if pid_alive nginx; then
    # shellcheck disable=SC2046
    nginx $(nginx_args) -s quit
    for _ in $(seq 1 100); do pid_alive nginx || break; sleep 0.1; done
  fi
  for pidfile in "$state"/backend-*.pid "$state"/worker.pid; do
    [ -e "$pidfile" ] || continue
    stop_process "$(basename "$pidfile" .pid)"
  done
  echo "stack: stopped (test services and Postgres keep running)" >&2
}

status() {
  local code=0
  if [ ! -f "$state/stack.env" ]; then
    echo "stack: not started in this checkout${name:+ as $name} ($state)"
    return 3
  fi
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    local name
    name=$(basename "$pidfile" .pid)
    if pid_alive "$name"; then echo "$name up (pid $(cat "$pidfile"))"; else echo "$name down"; code=3; fi
  done
  if gateway_healthy; then echo "gateway $public_url healthy"; else echo "gateway $public_url down"; code=3; fi
  return $code
}

print_env() {
  cat <<ENV
STACK_URL=$public_url
STACK_HTTP_URL=http://localhost:$http_port
STACK_STATE=$state
STACK_BUCKET=$bucket
STACK_DATABASE=$database
STACK_BACKEND_PORTS="${backend_ports[*]}"
ENV
}

case "$1" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  *) usage ;;
esac
