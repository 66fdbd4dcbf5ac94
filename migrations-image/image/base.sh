#!/usr/bin/env bash
# Build (or reuse) the local JRE base image the runner image is built FROM.
#
# No registry but Debian's is reachable from CI/dev machines here, so the base is
# a debootstrapped minimal bookworm with a headless JRE, imported into podman's
# storage. The rootfs tarball is cached so re-runs only re-import (or do nothing).
#
# Env: RUNNER_BASE_IMAGE  image name to create (default localhost/schemagate-base-jre:bookworm)
#      CACHE_DIR          where the tarball is kept (default <repo>/.cache/image)
#      DEBIAN_MIRROR      (default http://deb.debian.org/debian)
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
RUNNER_BASE_IMAGE=${RUNNER_BASE_IMAGE:-localhost/schemagate-base-jre:bookworm}
CACHE_DIR=${CACHE_DIR:-$repo_root/.cache/image}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless,ca-certificates
# debootstrap installs the host architecture, and Debian names JAVA_HOME after it.
JAVA_HOME_IN_IMAGE=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)

die() { echo "base.sh: ERROR: $*" >&2; exit 1; }
log() { echo "base.sh: $*" >&2; }

# The inputs that define the tarball; a change invalidates the cache.
recipe="suite=$SUITE packages=$PACKAGES mirror=$DEBIAN_MIRROR variant=minbase rev=2"
tarball=$CACHE_DIR/base-rootfs-$SUITE.tar
stamp=$tarball.recipe

# The image's label names its recipe: a matching image is reused with or without the
# cached tarball (e.g. in a second git worktree, which has no .cache of its own).
if podman image exists "$RUNNER_BASE_IMAGE" \
   && [[ "$(podman image inspect --format '{{index .Labels "io.schemagate.base.recipe"}}' "$RUNNER_BASE_IMAGE" 2>/dev/null)" == "$recipe" ]]; then
  log "reusing $RUNNER_BASE_IMAGE"
  exit 0
fi

if [[ ! -f $tarball || ! -f $stamp || "$(cat "$stamp")" != "$recipe" ]]; then
  [[ $(id -u) -eq 0 ]] || die "debootstrap needs root (run as root, or provide $tarball)"
  command -v debootstrap >/dev/null || die "debootstrap not installed (apt-get install -y debootstrap)"
  mkdir -p "$CACHE_DIR"
  rootfs=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  # Leave no half-made rootfs behind (debootstrap may leave /proc, /sys mounted on failure).
  cleanup() {
    local m
    for m in proc sys dev/pts; do umount -R "$rootfs/$m" 2>/dev/null || true; done
    rm -rf --one-file-system "$rootfs"
  }
  trap cleanup EXIT

  log "debootstrap $SUITE (minbase + $PACKAGES) into $rootfs"
  start=$SECONDS
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$DEBIAN_MIRROR" \
    > "$CACHE_DIR/debootstrap.log" 2>&1 \
    || { tail -30 "$CACHE_DIR/debootstrap.log" >&2; die "debootstrap failed (full log: $CACHE_DIR/debootstrap.log)"; }
  log "debootstrap took $((SECONDS - start))s"

  [[ -x $rootfs$JAVA_HOME_IN_IMAGE/bin/java ]] || die "no java in the rootfs at $JAVA_HOME_IN_IMAGE"
  # The JDK's default CDS archive is the base layer a dynamic AppCDS archive builds on;
  # make sure it exists (Debian creates it at install time on most arches).
  if [[ ! -f $rootfs$JAVA_HOME_IN_IMAGE/lib/server/classes.jsa ]]; then
    log "generating the JDK default CDS archive"
    chroot "$rootfs" "$JAVA_HOME_IN_IMAGE/bin/java" -Xshare:dump >/dev/null
  fi

  # Trim what a runtime image never needs: package caches, docs, man pages, locales.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
         "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
         "$rootfs"/usr/share/locale/* "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/*
  # Runtimes inject resolv.conf, hostname and hosts; don't bake the build host's in.
  # A loopback-only hosts file stays for runtimes that inject none: verify's embedded
  # PostgreSQL listens on "localhost".
  : > "$rootfs/etc/resolv.conf"
  : > "$rootfs/etc/hostname"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$rootfs/etc/hosts"
  printf '%s\n' "deb $DEBIAN_MIRROR $SUITE main" > "$rootfs/etc/apt/sources.list"

  tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  printf '%s' "$recipe" > "$stamp"
  log "cached $tarball ($(du -h "$tarball" | cut -f1))"
fi

log "importing $tarball as $RUNNER_BASE_IMAGE"
previous=$(podman image inspect --format '{{.Id}}' "$RUNNER_BASE_IMAGE" 2>/dev/null || true)
podman import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV JAVA_HOME=$JAVA_HOME_IN_IMAGE" \
  --change "ENV LANG=C.UTF-8" \
  --change "LABEL io.schemagate.base.recipe=\"$recipe\"" \
  --change "CMD [\"/bin/bash\"]" \
  "$tarball" "$RUNNER_BASE_IMAGE" >/dev/null
log "imported $RUNNER_BASE_IMAGE"
# The old base, now untagged, goes once nothing is built on it (refused, harmlessly, until then).
if [[ -n $previous ]]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
