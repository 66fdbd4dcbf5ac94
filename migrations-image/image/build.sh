#!/usr/bin/env bash
# Build the images: the runner's and the operator's. Each jar if missing, the local
# base if it is the default one, then `podman build` (chroot isolation: works without a
# container engine). Both images are built FROM the same JRE base.
#
# Env: RUNNER_IMAGE       runner tag to build   (default localhost/schemagate-runner:dev)
#      OPERATOR_IMAGE     operator tag to build (default localhost/schemagate-operator:dev)
#      RUNNER_BASE_IMAGE  JRE base of both images (default localhost/schemagate-base-jre:bookworm,
#                         made by base.sh; any other value is used as given)
#      IMAGES             which to build: "runner operator" (default), or one of them
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo_root/migrations-image/image
RUNNER_IMAGE=${RUNNER_IMAGE:-localhost/schemagate-runner:dev}
OPERATOR_IMAGE=${OPERATOR_IMAGE:-localhost/schemagate-operator:dev}
local_base=localhost/schemagate-base-jre:bookworm
RUNNER_BASE_IMAGE=${RUNNER_BASE_IMAGE:-$local_base}
IMAGES=${IMAGES:-runner operator}

die() { echo "build.sh: ERROR: $*" >&2; exit 1; }
log() { echo "build.sh: $*" >&2; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

command -v podman >/dev/null || die "podman not installed (apt-get install -y podman buildah)"

jar_ready() { # MODULE JAR: build the module's jar when it is missing (an existing one is reused)
  local t
  t=$(now)
  if [[ ! -f $2 ]]; then
    command -v mvn >/dev/null || die "$2 is missing and mvn is not installed"
    log "building $2"
    (cd "$repo_root" && mvn -B -q -Dstyle.color=never -pl "$1" -am package -DskipTests) \
      || die "mvn package of $1 failed"
    [[ -f $2 ]] || die "mvn package did not produce $2"
  fi
  log "${2##*/} ready ($(took "$t"))"
}

t=$(now)
if [[ $RUNNER_BASE_IMAGE == "$local_base" ]]; then
  RUNNER_BASE_IMAGE=$RUNNER_BASE_IMAGE "$here/base.sh" || die "could not make the base image $RUNNER_BASE_IMAGE"
fi
log "base image ready ($(took "$t"))"

build_image() { # TAG DOCKERFILE CONTEXT
  local tag=$1 previous current t
  t=$(now)
  previous=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  # podman build does not remove its working container when it is interrupted;
  # remove the ones that appear during this build if it does not finish.
  before=$(buildah containers --notruncate --format '{{.ContainerID}}' 2>/dev/null || true)
  trap remove_build_leftovers EXIT
  podman build --isolation=chroot --layers \
    --build-arg "BASE_IMAGE=$RUNNER_BASE_IMAGE" \
    -t "$tag" -f "$2" "$3" \
    || die "podman build of $tag failed"
  trap - EXIT
  log "built $tag ($(took "$t"))"
  # A rebuild moves the tag; drop the image it left untagged (refused, harmlessly, if still in use).
  current=$(podman image inspect --format '{{.Id}}' "$tag")
  if [[ -n $previous && $previous != "$current" ]]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
}
before=''
remove_build_leftovers() {
  local id name
  while read -r id name; do
    if [[ $name == *-working-container* ]] && ! grep -qx "$id" <<< "$before"; then
      buildah rm "$id" >/dev/null 2>&1 || true
    fi
  done < <(buildah containers --notruncate --format '{{.ContainerID}} {{.ContainerName}}' 2>/dev/null)
}

for image in $IMAGES; do
  case $image in
    runner)
      jar_ready migrations-image "$repo_root/migrations-image/target/schemagate-runner.jar"
      build_image "$RUNNER_IMAGE" "$repo_root/migrations-image/Dockerfile" "$repo_root/migrations-image"
      ;;
    operator)
      jar_ready operator "$repo_root/operator/target/schemagate-operator.jar"
      build_image "$OPERATOR_IMAGE" "$repo_root/operator/Dockerfile" "$repo_root/operator"
      ;;
    *) die "IMAGES: unknown image '$image' (runner, operator)" ;;
  esac
done
