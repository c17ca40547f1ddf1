#!/bin/sh
# As the official image's entrypoint: when the command is nginx, run /docker-entrypoint.d/*.sh
# in order (executables run, *.envsh sourced), then exec the command.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  for f in $(find /docker-entrypoint.d/ -follow -type f -print | sort -V); do
    case "$f" in
      *.envsh) [ -x "$f" ] && . "$f" ;;
      *.sh) if [ -x "$f" ]; then echo "$0: launching $f"; "$f"; else echo "$0: ignoring $f, not executable"; fi ;;
    esac
  done
  echo "$0: ready for start up"
fi
exec "$@"
