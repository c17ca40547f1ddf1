#!/usr/bin/env bash
# Start-up of the Homeport Jenkins image: checks the settings jenkins/casc.yaml needs (fails
# fast, naming the variable), creates its secrets on first start, says where the admin password
# is (never the password), then hands over to the image's own launcher.
# usage: entrypoint.sh [jenkins options…]
set -euo pipefail

fail() {
  echo "jenkins: $*" >&2
  exit 78
}

[ -n "${SECRETS:-}" ] || fail "SECRETS (the folder of the configuration's secret files) is not set"
[ -n "${GITLAB_REPO_URL:-}" ] ||
  fail "set GITLAB_REPO_URL to the HTTPS clone URL of the repository to build (docs/ci-cd.md)"
if [ -z "${GITLAB_URL:-}" ]; then
  [[ $GITLAB_REPO_URL =~ ^(https?://[^/]+)/ ]] ||
    fail "set GITLAB_URL (the GitLab server, e.g. https://gitlab.example.com); it cannot be derived from GITLAB_REPO_URL"
  export GITLAB_URL=${BASH_REMATCH[1]}
fi
[ -n "${JENKINS_URL:-}" ] || fail "set JENKINS_URL (the public URL, e.g. https://ci.example.com/jenkins/)"

bash /usr/local/share/homeport/init-secrets.sh "$SECRETS"

if [ ! -s "$SECRETS/gitlab_api_token" ]; then
  echo "jenkins: $SECRETS/gitlab_api_token is empty: Jenkins can neither clone a private repository" \
    "nor report commit statuses until a GitLab access token is written there (docs/ci-cd.md)" >&2
fi
socket=/var/run/docker.sock
if [ -S "$socket" ] && ! [ -w "$socket" ]; then
  echo "jenkins: cannot use $socket (owned by group $(stat -c %g "$socket")):" \
    "set DOCKER_GID=$(stat -c %g "$socket") in .env and recreate the container" >&2
fi
echo "jenkins: sign in as '${JENKINS_ADMIN_ID:-admin}'; the password is in $SECRETS/admin_password" \
  "(docker compose exec jenkins cat $SECRETS/admin_password)" >&2

exec /usr/local/bin/jenkins.sh "$@"
