#!/usr/bin/env bash
# Backs up Homeport: the database (pg_dump custom format) and every object of the bucket (plus a
# manifest with sizes and checksums) into a new folder. Never stops or changes anything.
# usage: scripts/backup.sh compose|native <backup-folder>
#   compose: the running `docker compose` stack (run from the repository folder).
#   native:  DATABASE_URL, S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY from the environment.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/backup-mode.sh
. "$(dirname "$0")/lib/backup-mode.sh"
check_backup_arguments "$@"
mode=$1
target=$2
root=$(cd "$(dirname "$0")/.." && pwd)

if [ -e "$target" ] && [ -n "$(ls -A "$target" 2>/dev/null)" ]; then
  echo "backup: $target exists and is not empty; choose a new folder" >&2
  exit 1
fi
mkdir -p "$target"
target=$(cd "$target" && pwd)
# Backups hold every secret-bearing row: keep them private.
chmod 700 "$target"

case "$mode" in
  compose)
    cd "$root"
    docker compose exec -T postgres pg_dump --username homeport --dbname homeport \
      --format custom --no-owner >"$target/database.dump"
    ;;
  native)
    : "${DATABASE_URL:?DATABASE_URL is required}"
    pg_dump --dbname "$DATABASE_URL" --format custom --no-owner --file "$target/database.dump"
    ;;
esac
backup_objects "$mode" export "$target"

date -u +%Y-%m-%dT%H:%M:%SZ >"$target/created-at"
echo "backup: written to $target" >&2
