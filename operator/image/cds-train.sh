#!/bin/bash
# Build the operator's class-data-sharing (AppCDS) archive, inside the image build.
#
# An archive is only valid for the JVM that wrote it and the exact jar (path, size,
# mtime), so this runs with the image's own java against the installed jar. There is
# no API server at build time: the training run is the operator's own start against
# an address that refuses connections. It loads what every start loads (settings,
# logging, fabric8's client and Jackson, JOSDK and both reconcilers' configuration,
# the metrics registry, the HTTP server, the access check's and the informers' first
# requests) and exits 1 after the first refused request. -XX:ArchiveClassesAtExit
# writes a dynamic archive on top of the JDK's default one at that exit; unlike a
# static one from a class list, it also holds the lambda and proxy classes.
set -euo pipefail

jar=${1:?usage: cds-train.sh JAR ARCHIVE}
archive=${2:?usage: cds-train.sh JAR ARCHIVE}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The entrypoint's collector (the archive must be used with the GC it was written with
# in mind; C1 and heap size do not matter to it).
flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto)
rm -f "$archive"
rc=0
# No retries with backoff, no kubeconfig: the start fails in about a second. A high
# port for /metrics: a build shares the host's network, where 8080 may be taken.
env -i PATH="$PATH" HOME="$work" \
  KUBERNETES_MASTER=https://127.0.0.1:1 KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \
  KUBERNETES_AUTH_TRYKUBECONFIG=false KUBERNETES_AUTH_TRYSERVICEACCOUNT=false \
  SCHEMAGATE_HTTP_PORT=38080 \
  timeout 120 "$java" "${flags[@]}" "-XX:ArchiveClassesAtExit=$archive" -Xlog:cds=error \
  -jar "$jar" > "$work/train.out" 2>&1 || rc=$?
echo "cds-train: operator start against no API server -> exit $rc"
if ! grep -q 'the operator could not start' "$work/train.out"; then
  # Still an archive of what loaded, but say so: the run did not get as far as it should.
  echo "cds-train: WARNING: the training run did not reach the operator's start:" >&2
  grep -v '^[[:space:]]*at ' "$work/train.out" | head -10 | sed 's/^/cds-train:     /' >&2
fi
[[ -s $archive ]] || { tail -20 "$work/train.out" >&2; echo "cds-train: ERROR: no archive written to $archive" >&2; exit 1; }

# Prove the archive maps with the runtime's class path; -Xshare:on fails if it does not.
"$java" "${flags[@]/-Xshare:auto/-Xshare:on}" -XX:SharedArchiveFile="$archive" -XX:+PrintSharedArchiveAndExit \
  -jar "$jar" > "$work/check.out" 2>&1 && grep -q 'archive is valid' "$work/check.out" \
  || { tail -20 "$work/check.out" >&2; echo "cds-train: ERROR: archive $archive does not map (-Xshare:on)" >&2; exit 1; }
chmod 0644 "$archive"
echo "cds-train: wrote $archive ($(du -h "$archive" | cut -f1))"
