#!/usr/bin/env bash
# Development mode: backend and worker (restart on change) + Vite with /api proxied to the backend.
# Runs on the native services (scripts/test-services.sh) with its own database `homeport_dev` and
# bucket `homeport-dev`; development secrets are generated once into .run/dev-secrets (ignored
# by git) by the same generator the compose stack uses.
# usage: npm run dev        (then open http://127.0.0.1:5173)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/test-services.sh start
set -a
# shellcheck source=/dev/null
. .run/test-services.env
set +a

secrets=.run/dev-secrets
node scripts/generate-secrets.mjs "$secrets" >/dev/null

admin_url=$TEST_DATABASE_URL
dev_url=${admin_url%/*}/homeport_dev
if [ -z "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = 'homeport_dev'")" ]; then
  psql "$admin_url" -qc 'CREATE DATABASE homeport_dev'
fi

export NODE_ENV=development LOG_LEVEL=${LOG_LEVEL:-info} HOST=127.0.0.1 PORT=3000 METRICS_PORT=9464
export PUBLIC_URL=http://127.0.0.1:5173 DATABASE_URL=$dev_url S3_BUCKET=homeport-dev
export JWT_PRIVATE_KEY_FILE=$root/$secrets/jwt_private_key.pem JWT_PUBLIC_KEY_FILE=$root/$secrets/jwt_public_key.pem
export MAIL_WEBHOOK_SECRET_FILE=$root/$secrets/mail_webhook_secret
export STORAGE_WEBHOOK_SECRET_FILE=$root/$secrets/storage_webhook_secret
export MFA_ENCRYPTION_KEY_FILE=$root/$secrets/mfa_encryption_key
export WEBHOOKS_ENCRYPTION_KEY_FILE=$root/$secrets/webhooks_encryption_key
export AUTH_AUTO_VERIFY=${AUTH_AUTO_VERIFY:-false}

npm run prisma:generate -w backend --silent >/dev/null
npm run migrate:native -w backend --silent

trap 'kill 0' EXIT INT TERM
npm run dev -w backend &
npm run dev:worker -w backend &
npm run dev -w frontend -- --host 127.0.0.1 &
echo "Homeport dev: http://127.0.0.1:5173 (API docs http://127.0.0.1:3000/api/docs, mail http://127.0.0.1:8025/api/v1/messages)"
wait
