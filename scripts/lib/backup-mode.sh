# shellcheck shell=bash
# Sourced by scripts/backup.sh and scripts/restore.sh: the same arguments, and the same way to
# reach the bucket in either mode (scripts/backup-objects.mjs, inside the backend image under
# compose, since the bucket is only reachable on the compose network there).

backup_scripts_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# check_backup_arguments "$@"
# Accepts `compose|native <backup-folder>`; anything else prints the usage line and exits 64
# before the caller touches a file.
check_backup_arguments() {
  if [ $# -ne 2 ] || { [ "$1" != compose ] && [ "$1" != native ]; }; then
    echo "usage: $0 compose|native <backup-folder>" >&2
    exit 64
  fi
}

# backup_objects <compose|native> <export|import> <folder>
# Runs scripts/backup-objects.mjs on an absolute folder. Under compose the folder is mounted
# read-only for an import, and the tool runs as the calling user so the files it writes stay theirs.
backup_objects() {
  local mode=$1 direction=$2 folder=$3
  if [ "$mode" = compose ]; then
    local mount="$folder:/backup"
    [ "$direction" = import ] && mount+=":ro"
    docker compose run --rm --no-deps --user "$(id -u):$(id -g)" --volume "$mount" \
      --entrypoint node backend /app/scripts/backup-objects.mjs "$direction" /backup
  else
    node "$backup_scripts_dir/backup-objects.mjs" "$direction" "$folder"
  fi
}
