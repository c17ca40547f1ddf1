#!/usr/bin/env bash
# Renders nginx/templates/ for a native nginx, the same way the official image does at start
# (envsubst of each *.template into conf.d/, keeping sub-folders), and lays out a config
# directory that `nginx -p <dir>/ -c <dir>/nginx.conf` runs. Unlike the image, a variable a
# template names but the environment lacks is an error, not an empty string.
# The HTTP/2 switch depends on the nginx that will run the result (NGINX_BIN, default `nginx`):
# `http2 on;` from 1.25.1, `listen … ssl http2` before (Debian 12 has 1.22). NGINX_HTTP2_LISTEN
# and NGINX_HTTP2_DIRECTIVE, when set, win; the image sets them in nginx/Dockerfile.
# usage: scripts/render-nginx.sh <output-dir>
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <output-dir>" >&2; exit 64; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
templates="$root/nginx/templates"

if [ -z "${NGINX_HTTP2_LISTEN+set}" ] || [ -z "${NGINX_HTTP2_DIRECTIVE+set}" ]; then
  version=$("${NGINX_BIN:-nginx}" -v 2>&1 | sed -n 's|^nginx version: [^/]*/\([0-9][0-9.]*\).*|\1|p')
  [ -n "$version" ] || { echo "render-nginx: cannot read the version of ${NGINX_BIN:-nginx}" >&2; exit 1; }
  # `sort -V` puts the smaller version first: 1.25.1 first means this nginx is 1.25.1 or newer.
  if [ "$(printf '%s\n' 1.25.1 "$version" | sort -V | head -n1)" = 1.25.1 ]; then
    export NGINX_HTTP2_LISTEN="" NGINX_HTTP2_DIRECTIVE="http2 on;"
  else
    export NGINX_HTTP2_LISTEN="http2" NGINX_HTTP2_DIRECTIVE=""
  fi
fi

# shellcheck disable=SC2016 # the pattern matches literal ${NAME} placeholders
mapfile -t names < <(grep -rhoE '\$\{[A-Z][A-Z0-9_]*\}' "$templates" | sort -u | tr -d '${}')
missing=()
for name in "${names[@]}"; do
  [ -n "${!name+set}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "render-nginx: unset variables: ${missing[*]}" >&2
  exit 1
fi
# shellcheck disable=SC2016 # envsubst wants the literal ${NAME} list
shell_format=$(printf '${%s} ' "${names[@]}")

mkdir -p "$out/conf.d"
while IFS= read -r -d '' template; do
  relative=${template#"$templates/"}
  target="$out/conf.d/${relative%.template}"
  mkdir -p "$(dirname "$target")"
  envsubst "$shell_format" <"$template" >"$target"
done < <(find "$templates" -type f -name '*.template' -print0)

cp "$root/nginx/nginx.conf" "$out/nginx.conf"
# Started by root, nginx's workers would drop to `nobody`, which cannot enter a checkout in a
# private directory (a clone under /root, a mode-750 home): they read the SPA, the njs files and
# the gateway key from it. Natively they run as the user who starts nginx instead (the image
# renders its own configuration and runs unprivileged as 101).
if [ "$(id -u)" -eq 0 ]; then
  printf '\n# Native run as root: workers keep the invoking user (scripts/render-nginx.sh).\nuser %s %s;\n' \
    "$(id -un)" "$(id -gn)" >>"$out/nginx.conf"
fi
cp /etc/nginx/mime.types "$out/mime.types"
