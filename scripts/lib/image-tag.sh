# shellcheck shell=bash
# Sourced by scripts/build-images.sh and scripts/deploy.sh. They must agree on the tag a commit's
# images carry: the build names the images with it and the deploy starts them by it.

# image_tag_argument <script-name> <operand> "$@"
# Prints the image tag the script's one argument names. A 40-character commit id becomes its
# first 12 characters; anything else must already be a tag in Docker's grammar, which also keeps
# it safe in file names and messages. Otherwise prints `usage: $0 <operand>` to stderr and returns
# 64, so a caller writes: tag=$(image_tag_argument … "$@") || exit
image_tag_argument() {
  local name=$1 operand=$2
  shift 2
  if [ $# -ne 1 ]; then
    echo "usage: $0 $operand" >&2
    return 64
  fi
  local tag=$1
  if [[ $tag =~ ^[0-9a-f]{40}$ ]]; then
    tag=${tag:0:12}
  fi
  if ! [[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
    echo "$name: '$1' is not a valid image tag" >&2
    echo "usage: $0 $operand" >&2
    return 64
  fi
  printf '%s\n' "$tag"
}
