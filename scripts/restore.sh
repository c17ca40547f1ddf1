#!/usr/bin/env bash
# Restores a folder written by scripts/backup.sh: the database (its tables are replaced) and the
# bucket's objects (re-uploaded; objects not in the backup are left alone). Checks every object
# against the backup's checksums first.
# usage: scripts/restore.sh compose|native <backup-folder>
#   compose: stops backend and worker, restores, starts them again.
#   native:  DATABASE_URL, S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY from the environment;
#            stop the processes that use them first.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/backup-mode.sh
. "$(dirname "$0")/lib/backup-mode.sh"
check_backup_arguments "$@"
mode=$1
source_dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)

for required in database.dump objects.json; do
  [ -f "$source_dir/$required" ] || { echo "restore: $source_dir/$required is missing" >&2; exit 1; }
done
source_dir=$(cd "$source_dir" && pwd)
# An empty bucket backs up to no objects/ folder at all.
mkdir -p "$source_dir/objects" 2>/dev/null || true

case "$mode" in
  compose)
    cd "$root"
    docker compose stop backend worker
    # Not `pg_restore --clean`: on Postgres 17 it drops the primary keys of pg-boss's partitions
    # before their parent's and fails ("cannot drop inherited constraint"). Instead, one
    # transaction empties every schema and replays the dump as SQL: all or nothing.
    docker compose exec -T postgres sh -c '
      { printf "%s\n" "DO \$\$ DECLARE s text; BEGIN
          FOR s IN SELECT nspname FROM pg_namespace
            WHERE nspname NOT LIKE '"'"'pg\_%'"'"' AND nspname <> '"'"'information_schema'"'"'
          LOOP EXECUTE format('"'"'DROP SCHEMA %I CASCADE'"'"', s); END LOOP; END \$\$;
          CREATE SCHEMA public;"
        pg_restore --no-owner --file -; } |
        psql -X -q -v ON_ERROR_STOP=1 --single-transaction --username homeport --dbname homeport' \
      <"$source_dir/database.dump"
    backup_objects compose import "$source_dir"
    docker compose start backend worker
    ;;
  native)
    : "${DATABASE_URL:?DATABASE_URL is required}"
    pg_restore --dbname "$DATABASE_URL" --clean --if-exists --no-owner --single-transaction \
      "$source_dir/database.dump"
    backup_objects native import "$source_dir"
    ;;
esac
echo "restore: done from $source_dir" >&2
