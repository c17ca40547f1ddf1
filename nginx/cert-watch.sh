#!/bin/sh
# Reloads nginx when the installed certificate changes (certbot/tls.py rewrites tls.conf last),
# so a renewal takes effect without anyone acting. A reload keeps serving open connections.
# usage: cert-watch.sh <tls-dir> [nginx option…]   (options are passed to `nginx -s reload`)
# CERT_WATCH_INTERVAL: seconds between checks (default 60).
set -eu

[ $# -ge 1 ] || { echo "usage: $0 <tls-dir> [nginx option...]" >&2; exit 64; }
tls_dir=$1
shift
interval=${CERT_WATCH_INTERVAL:-60}

fingerprint() {
  cat "$tls_dir/tls.conf" "$tls_dir/fullchain.pem" "$tls_dir/privkey.pem" 2>/dev/null | md5sum
}

last=$(fingerprint)
while sleep "$interval"; do
  current=$(fingerprint)
  if [ "$current" != "$last" ]; then
    # Only reload a complete, valid set: a failed test leaves the running config in place.
    if nginx "$@" -t -q && nginx "$@" -s reload; then
      echo "cert-watch: certificate changed, nginx reloaded"
      last=$current
    else
      echo "cert-watch: certificate changed but the config test failed; will retry" >&2
    fi
  fi
done
