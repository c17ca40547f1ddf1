#!/usr/bin/env bash
# Creates the secrets Jenkins's configuration (jenkins/casc.yaml) reads, each only if absent, so
# a first start gets strong random values and later starts keep them. Never prints a secret.
#   admin_password        password of the Jenkins admin user
#   gitlab_webhook_token  secret token GitLab sends with every webhook call
#   gitlab_api_token      created empty: the GitLab access token you write there (docs/ci-cd.md)
# usage: jenkins/init-secrets.sh <secrets-dir>
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <secrets-dir>" >&2; exit 64; }
dir=$1
umask 077
mkdir -p "$dir"
chmod 700 "$dir"

random_secret() {
  local value=""
  # base64 of 48 random bytes keeps ~62 letters and digits after filtering: always enough.
  value=$(head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')
  printf '%s' "${value:0:40}"
}

for name in admin_password gitlab_webhook_token; do
  file="$dir/$name"
  if [ ! -s "$file" ]; then
    random_secret >"$file.tmp"
    mv "$file.tmp" "$file"
    echo "init-secrets: generated $file" >&2
  fi
done
[ -e "$dir/gitlab_api_token" ] || : >"$dir/gitlab_api_token"
