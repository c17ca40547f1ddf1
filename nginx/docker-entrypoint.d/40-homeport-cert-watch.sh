#!/bin/sh
# Run by the official image's entrypoint before nginx starts: the certificate watcher reloads
# nginx when certbot installs a new certificate (see /usr/local/bin/homeport-cert-watch).
set -eu
/usr/local/bin/homeport-cert-watch "${TLS_DIR}" &
