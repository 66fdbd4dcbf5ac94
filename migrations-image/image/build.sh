#!/usr/bin/env bash
# Build the runner image: the runner jar if missing, the local base if it is the
# default one, then `podman build` (chroot isolation: works without a container engine).
#
# Env: RUNNER_IMAGE       tag to build   (default localhost/schemagate-runner:dev)
#      RUNNER_BASE_IMAGE  JRE base image (default localhost/schemagate-base-jre:bookworm,
#                         made by base.sh; any other value is used as given)
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo_root/migrations-image/image
RUNNER_IMAGE=${RUNNER_IMAGE:-localhost/schemagate-runner:dev}
local_base=localhost/schemagate-base-jre:bookworm
RUNNER_BASE_IMAGE=${RUNNER_BASE_IMAGE:-$local_base}
jar=$repo_root/migrations-image/target/schemagate-runner.jar

die() { echo "build.sh: ERROR: $*" >&2; exit 1; }
log() { echo "build.sh: $*" >&2; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

command -v podman >/dev/null || die "podman not installed (apt-get install -y podman buildah)"

t=$(now)
if [[ ! -f $jar ]]; then
  command -v mvn >/dev/null || die "$jar is missing and mvn is not installed"
  log "building the runner jar"
  (cd "$repo_root" && mvn -B -q -Dstyle.color=never -pl migrations-image -am package -DskipTests) \
    || die "mvn package failed"
  [[ -f $jar ]] || die "mvn package did not produce $jar"
fi
log "runner jar ready ($(took "$t"))"

t=$(now)
if [[ $RUNNER_BASE_IMAGE == "$local_base" ]]; then
  RUNNER_BASE_IMAGE=$RUNNER_BASE_IMAGE "$here/base.sh" || die "could not make the base image $RUNNER_BASE_IMAGE"
fi
log "base image ready ($(took "$t"))"

t=$(now)
previous=$(podman image inspect --format '{{.Id}}' "$RUNNER_IMAGE" 2>/dev/null || true)
# podman build does not remove its working container when it is interrupted;
# remove the ones that appear during this build if it does not finish.
before=$(buildah containers --notruncate --format '{{.ContainerID}}' 2>/dev/null || true)
remove_build_leftovers() {
  local id name
  while read -r id name; do
    if [[ $name == *-working-container* ]] && ! grep -qx "$id" <<< "$before"; then
      buildah rm "$id" >/dev/null 2>&1 || true
    fi
  done < <(buildah containers --notruncate --format '{{.ContainerID}} {{.ContainerName}}' 2>/dev/null)
}
trap remove_build_leftovers EXIT
podman build --isolation=chroot --layers \
  --build-arg "BASE_IMAGE=$RUNNER_BASE_IMAGE" \
  -t "$RUNNER_IMAGE" -f "$repo_root/migrations-image/Dockerfile" "$repo_root/migrations-image" \
  || die "podman build of $RUNNER_IMAGE failed"
trap - EXIT
log "built $RUNNER_IMAGE ($(took "$t"))"
# A rebuild moves the tag; drop the image it left untagged (refused, harmlessly, if still in use).
current=$(podman image inspect --format '{{.Id}}' "$RUNNER_IMAGE")
if [[ -n $previous && $previous != "$current" ]]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
