#!/usr/bin/env bash
# The whole Homeport stack natively, as compose runs it but without Docker: Postgres, s3rver and
# the SMTP capture (scripts/test-services.sh), a stack database with the committed migrations,
# secrets from the compose generator, two backend processes and a worker, the built SPA, and
# Debian's nginx running the rendered nginx/templates on high ports with a self-signed cert.
# usage: scripts/stack.sh start|stop|status
# Ports: STACK_HTTP_PORT (18080), STACK_HTTPS_PORT (18443), STACK_BACKEND_PORTS ("13001 13002").
# State (logs, pids, secrets, certificate) lives in .run/stack/; `stop` keeps it, and the
# shared test services keep running.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status" >&2; exit 64; }
[ $# -eq 1 ] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.run/stack"
http_port=${STACK_HTTP_PORT:-18080}
https_port=${STACK_HTTPS_PORT:-18443}
read -r -a backend_ports <<<"${STACK_BACKEND_PORTS:-13001 13002}"
database=homeport_stack
bucket=homeport-stack
public_url="https://localhost:$https_port"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid" 2>/dev/null)" 2>/dev/null; }

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

start() {
  mkdir -p "$state"
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
    PORT=$port METRICS_PORT=$((port + 6000)) start_process "backend-$index" node dist/server.js
    index=$((index + 1))
  done
  start_process worker node dist/worker.js
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
STACK_DATABASE_URL=$DATABASE_URL
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
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    local name
    name=$(basename "$pidfile" .pid)
    if pid_alive "$name"; then echo "$name up (pid $(cat "$pidfile"))"; else echo "$name down"; code=3; fi
  done
  if gateway_healthy; then echo "gateway $public_url healthy"; else echo "gateway $public_url down"; code=3; fi
  return $code
}

case "$1" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
