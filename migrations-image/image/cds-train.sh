#!/bin/bash
# Build the runner's class-data-sharing (AppCDS) archive, inside the image build.
#
# An archive is only valid for the JVM that wrote it and the exact jar (path, size,
# mtime), so this runs with the image's own java against the installed jar.
# Training runs the commands a pod runs most (verify on an embedded PostgreSQL, which
# migrates and undoes for real; lint; info/migrate up to a failed connection), records
# the classes each loads, merges the
# lists and dumps one static archive from them. The runner may not implement every
# command yet, so a training command that fails is fine; no archive is not.
set -euo pipefail

jar=${1:?usage: cds-train.sh JAR ARCHIVE SAMPLE_DIR}
archive=${2:?usage: cds-train.sh JAR ARCHIVE SAMPLE_DIR}
sample=${3:?usage: cds-train.sh JAR ARCHIVE SAMPLE_DIR}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work"   # the verify training may run as an unprivileged user (see below)

# Same flags as the entrypoint, minus the archive; an unreachable port makes the
# database commands fail fast after loading the driver (exit 3 by contract).
run_flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto
           -Xlog:disable -Xlog:all=warning:stderr)
unreachable=jdbc:postgresql://127.0.0.1:1/cds
trainings=(
  # verify migrates, undoes and re-applies the sample on an embedded PostgreSQL started
  # in /tmp: the whole JDBC and engine path against a real server.
  "verify --location $sample"
  "lint --location $sample"
  "lint --location $sample --output json"
  "info --url $unreachable --location $sample --connect-timeout 0s --output json"
  "migrate --url $unreachable --location $sample --connect-timeout 0s"
  "--help"
)

n=0
for t in "${trainings[@]}"; do
  n=$((n + 1))
  read -r -a args <<< "$t"
  rc=0
  # timeout: a runner that ignores --connect-timeout must not stall the build.
  cmd=(env SCHEMAGATE_PASSWORD=cds timeout 60 "$java" "${run_flags[@]}"
       "-XX:DumpLoadedClassList=$work/$n.classlist" -jar "$jar" "${args[@]}")
  if [[ ${args[0]} == verify && $(id -u) == 0 ]] && command -v su >/dev/null; then
    # PostgreSQL's initdb refuses to run as root, and an image build runs as root.
    su -s /bin/sh nobody -c "$(printf '%q ' "${cmd[@]}")" > "$work/$n.out" 2>&1 || rc=$?
  else
    "${cmd[@]}" > "$work/$n.out" 2>&1 || rc=$?
  fi
  echo "cds-train: [$n] schemagate-runner $t -> exit $rc, $(wc -l < "$work/$n.classlist" 2>/dev/null || echo 0) classes"
  if [[ $rc -ne 0 && $rc -ne 3 ]]; then sed -n '1,5s/^/cds-train:     /p' "$work/$n.out"; fi
done

# Lists from separate runs carry per-run numeric ids that clash when concatenated.
# Keep only classes of the built-in loaders (drop custom-loader "source:" entries),
# strip the ids, and de-duplicate in first-seen order.
cat "$work"/*.classlist 2>/dev/null \
  | grep -v ' source: ' \
  | sed -E 's/ id: [0-9]+$//' \
  | awk '!seen[$0]++' > "$work/merged.classlist"
echo "cds-train: merged class list: $(wc -l < "$work/merged.classlist") entries"
[[ -s $work/merged.classlist ]] || { echo "cds-train: ERROR: no classes recorded" >&2; exit 1; }

rm -f "$archive"
"$java" -Xshare:dump -XX:SharedClassListFile="$work/merged.classlist" \
  -XX:SharedArchiveFile="$archive" -cp "$jar" > "$work/dump.out" 2>&1 \
  || { tail -20 "$work/dump.out" >&2; echo "cds-train: ERROR: -Xshare:dump failed" >&2; exit 1; }
[[ -s $archive ]] || { echo "cds-train: ERROR: archive $archive was not produced" >&2; exit 1; }

# Prove the archive maps with the runtime's class path; -Xshare:on fails if it does not.
"$java" -XX:+UseSerialGC -Xshare:on -XX:SharedArchiveFile="$archive" -cp "$jar" -version > /dev/null 2>&1 \
  || { echo "cds-train: ERROR: archive $archive does not map (-Xshare:on)" >&2; exit 1; }
chmod 0644 "$archive"
echo "cds-train: wrote $archive ($(du -h "$archive" | cut -f1))"
