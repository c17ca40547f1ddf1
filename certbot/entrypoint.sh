#!/bin/sh
# Certificates for nginx. Always: a self-signed certificate for DOMAIN on first start, so HTTPS
# answers at once. With a real DOMAIN and LETSENCRYPT_EMAIL: webroot issuance (nginx serves
# /.well-known/acme-challenge/ from ACME_WEBROOT), then `certbot renew` every RENEW_INTERVAL
# seconds (default 12 h). The deploy hook copies each new certificate into TLS_DIR, where nginx's
# watcher picks it up. Runs as a non-root user: certbot's config, work and log dirs are
# writable volumes/tmp, and webroot validation needs no privileged port.
# usage: entrypoint.sh [run|issue|renew [--force-renewal]]
set -eu

DOMAIN=${DOMAIN:-localhost}
LETSENCRYPT_EMAIL=${LETSENCRYPT_EMAIL:-}
LETSENCRYPT_STAGING=${LETSENCRYPT_STAGING:-false}
TLS_DIR=${TLS_DIR:-/certs}
ACME_WEBROOT=${ACME_WEBROOT:-/var/www/acme}
RENEW_INTERVAL=${RENEW_INTERVAL:-43200}
RETRY_INTERVAL=${RETRY_INTERVAL:-3600}
CERTBOT_CONFIG_DIR=${CERTBOT_CONFIG_DIR:-/etc/letsencrypt}
CERTBOT_WORK_DIR=${CERTBOT_WORK_DIR:-/tmp/certbot-work}
CERTBOT_LOGS_DIR=${CERTBOT_LOGS_DIR:-/tmp/certbot-logs}
# Another ACME directory (a test server such as pebble); empty means Let's Encrypt.
ACME_SERVER=${ACME_SERVER:-}
export TLS_DIR LETSENCRYPT_STAGING

here=$(cd "$(dirname "$0")" && pwd)
tls="$here/tls.py"

certbot_common() {
  set -- --non-interactive --config-dir "$CERTBOT_CONFIG_DIR" --work-dir "$CERTBOT_WORK_DIR" \
    --logs-dir "$CERTBOT_LOGS_DIR" "$@"
  if [ -n "$ACME_SERVER" ]; then
    set -- "$@" --server "$ACME_SERVER"
  elif [ "$LETSENCRYPT_STAGING" = "true" ]; then
    set -- "$@" --staging
  fi
  certbot "$@"
}

wants_acme() {
  [ "$DOMAIN" != "localhost" ] && [ -n "$LETSENCRYPT_EMAIL" ]
}

issue() {
  mkdir -p "$ACME_WEBROOT" "$CERTBOT_WORK_DIR" "$CERTBOT_LOGS_DIR"
  certbot_common certonly --webroot --webroot-path "$ACME_WEBROOT" \
    --domain "$DOMAIN" --email "$LETSENCRYPT_EMAIL" --agree-tos --no-eff-email \
    --keep-until-expiring --key-type ecdsa --cert-name homeport \
    --deploy-hook "python3 $tls deploy-hook"
  # Also install when certbot kept an existing certificate (no hook ran), e.g. after the TLS
  # volume was recreated; identical files leave nginx untouched.
  RENEWED_LINEAGE="$CERTBOT_CONFIG_DIR/live/homeport" python3 "$tls" deploy-hook
}

renew() {
  mkdir -p "$CERTBOT_WORK_DIR" "$CERTBOT_LOGS_DIR"
  certbot_common renew --deploy-hook "python3 $tls deploy-hook" "$@"
}

run() {
  python3 "$tls" self-signed "$TLS_DIR" "$DOMAIN"
  if ! wants_acme; then
    echo "certbot: DOMAIN=$DOMAIN without LETSENCRYPT_EMAIL: serving the self-signed certificate"
    while :; do sleep 86400; done
  fi
  until issue; do
    echo "certbot: issuance for $DOMAIN failed; retrying in $RETRY_INTERVAL s" >&2
    sleep "$RETRY_INTERVAL"
  done
  while sleep "$RENEW_INTERVAL"; do
    renew || echo "certbot: renewal attempt failed; next try in $RENEW_INTERVAL s" >&2
  done
}

case "${1:-run}" in
  run) run ;;
  issue) issue ;;
  renew) shift; renew "$@" ;;
  *) echo "usage: $0 [run|issue|renew [--force-renewal]]" >&2; exit 64 ;;
esac
