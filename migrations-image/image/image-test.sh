#!/usr/bin/env bash
# Image test without a container engine: build the runner and operator images and
# two bundle images FROM the runner, then check them by running commands in buildah
# working containers (chroot isolation) and in a read-only chroot of the image.
#
#   good bundle: examples/bundle/sql/ when it exists, else image/test-bundle/sql/
#                -> runs as the numeric non-root user, /migrations holds the files,
#                   `lint` exits 0 with a Succeeded result, the CDS archive maps,
#                   `lint` and `verify` work on a read-only root with only /tmp writable
#   bad bundle:  image/test-bundle-bad/sql/ (a TIMESTAMP column) -> `lint` exits 5
#   operator:    the numeric non-root user, the documented entrypoint and ports, the CDS
#                archive maps and is used, a bad setting and a missing API server each exit 1
#                with a clear message, on a read-only root with only /tmp writable
#
# Env: RUNNER_IMAGE, OPERATOR_IMAGE, RUNNER_BASE_IMAGE  as for build.sh
#      IMAGE_TEST_REQUIRE_RUNNER=1      fail (not skip) when the jar has no runner CLI yet
#      IMAGE_TEST_BENCH_RUNS=5          start-up runs per mode and image for the CDS measurement (0: off)
#      IMAGE_TEST_VERIFY=1              run `verify` (embedded PostgreSQL) on the read-only root (0: off)
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo_root/migrations-image/image
export RUNNER_IMAGE=${RUNNER_IMAGE:-localhost/schemagate-runner:dev}
export OPERATOR_IMAGE=${OPERATOR_IMAGE:-localhost/schemagate-operator:dev}
export RUNNER_BASE_IMAGE=${RUNNER_BASE_IMAGE:-localhost/schemagate-base-jre:bookworm}
IMAGE_TEST_REQUIRE_RUNNER=${IMAGE_TEST_REQUIRE_RUNNER:-0}
IMAGE_TEST_BENCH_RUNS=${IMAGE_TEST_BENCH_RUNS:-5}
IMAGE_TEST_VERIFY=${IMAGE_TEST_VERIFY:-1}
bundle_image=localhost/schemagate-image-test-bundle:dev
bad_bundle_image=localhost/schemagate-image-test-bundle-bad:dev
expected_uid=65532
prefix=schemagate-image-test-   # names of the working containers this script owns

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "image-test: $*" >&2; }
timings=()
checks=()
fail() {
  echo >&2
  echo "image-test: FAILED: $*" >&2
  exit 1
}
pass() { checks+=("PASS  $*"); log "PASS  $*"; }
skip() { checks+=("SKIP  $*"); log "SKIP  $*"; }

for tool in podman buildah unshare chroot; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install -y podman buildah)"
done
[[ $(id -u) -eq 0 ]] || fail "run as root: buildah mount and the read-only chroot check need it"

# Leftovers of an earlier run that was killed: working containers and scratch
# folders carry the owning PID, so a run still in progress is left alone.
while read -r c; do
  if [[ $c =~ ^$prefix([0-9]+)- ]] && ! kill -0 "${BASH_REMATCH[1]}" 2>/dev/null; then
    buildah rm "$c" >/dev/null 2>&1 || true
  fi
done < <(buildah containers --format '{{.ContainerName}}' 2>/dev/null)
for d in "${TMPDIR:-/tmp}"/schemagate-image-test.*; do
  if [[ $d =~ /schemagate-image-test\.([0-9]+)\.[^/]+$ ]] && ! kill -0 "${BASH_REMATCH[1]}" 2>/dev/null; then
    rm -rf --one-file-system "$d"
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/schemagate-image-test.$$.XXXXXX")
containers=()
remove_containers() {
  local c
  for c in ${containers[@]+"${containers[@]}"}; do buildah rm "$c" >/dev/null 2>&1 || true; done
  containers=()
}
# podman build does not remove its working container when it is interrupted;
# remove the ones that appeared while one of our builds was running.
build_started=''
remove_build_leftovers() {
  local id name
  [[ -n $build_started ]] || return 0
  while read -r id name; do
    if [[ $name == *-working-container* ]] && ! grep -qx "$id" <<< "$build_started"; then
      buildah rm "$id" >/dev/null 2>&1 || true
    fi
  done < <(buildah containers --notruncate --format '{{.ContainerID}} {{.ContainerName}}' 2>/dev/null)
}
cleanup() {
  remove_build_leftovers
  remove_containers
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

t_total=$(now)

# --- the images ---------------------------------------------------------------------
t=$(now)
# Progress lines live (debootstrap takes minutes), the full log only on failure.
"$here/build.sh" 2>&1 | tee "$work/build.log" | { grep --line-buffered -E '^(build|base)\.sh: |^cds-train: ' >&2 || true; } \
  || { tail -40 "$work/build.log" >&2; fail "building $RUNNER_IMAGE and $OPERATOR_IMAGE failed (log above)"; }
timings+=("runner and operator images (jars + base + podman build): $(elapsed "$t")s")

# --- bundle images ----------------------------------------------------------------
bundle_src=$repo_root/examples/bundle/sql
if ! compgen -G "$bundle_src/*.sql" >/dev/null; then
  bundle_src=$here/test-bundle/sql
fi
log "good bundle: ${bundle_src#"$repo_root"/}"

# A bundle is exactly what docs/image.md tells users to write.
build_bundle() { # IMAGE SQL_DIR
  local ctx
  ctx=$(mktemp -d "$work/bundle.XXXXXX")
  cp -R "$2" "$ctx/sql"
  printf 'FROM %s\nCOPY sql/ /migrations/\n' "$RUNNER_IMAGE" > "$ctx/Containerfile"
  build_started=$(buildah containers --notruncate --format '{{.ContainerID}}' 2>/dev/null)$'\n'
  podman build --isolation=chroot --pull=never -q -t "$1" -f "$ctx/Containerfile" "$ctx" > "$work/bundle-build.log" 2>&1 \
    || { cat "$work/bundle-build.log" >&2; fail "building bundle image $1 from $2 failed"; }
  build_started=''
}
t=$(now)
build_bundle "$bundle_image" "$bundle_src"
build_bundle "$bad_bundle_image" "$here/test-bundle-bad/sql"
timings+=("two bundle images: $(elapsed "$t")s")

new_container() { # VAR IMAGE: a fresh working container, its name stored in VAR
  local name=$prefix$$-${#containers[@]}
  # Recorded before creation so the EXIT trap removes it even if this fails halfway.
  containers+=("$name")
  buildah from --pull-never --quiet --name "$name" "$2" >/dev/null || fail "buildah from $2 failed"
  printf -v "$1" '%s' "$name"
}
# Runs a command in the container as the image's user; stdout/stderr to files, exit code echoed.
# On a busy machine buildah (1.28) now and then loses all of a short command's output (`id -u`
# exiting 0 with nothing on stdout, about one run of image-test in five here). Every command run
# here prints something, so a run with no output at all is run again, up to twice.
run_in() { # CONTAINER OUT_FILE ERR_FILE CMD...
  local c=$1 out=$2 err=$3 rc try
  shift 3
  for try in 1 2 3; do
    rc=0
    buildah run --isolation chroot "$c" -- "$@" > "$out" 2> "$err" || rc=$?
    [[ ! -s $out && ! -s $err ]] || break
    log "buildah run printed nothing (exit $rc): '$*' again"
  done
  echo "$rc"
}
show() { sed 's/^/    | /' "$@" >&2; }

t=$(now)
good='' bad=''
new_container good "$bundle_image"
new_container bad "$bad_bundle_image"

# --- image configuration ------------------------------------------------------------
cfg=$(podman image inspect --format '{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}' "$bundle_image")
[[ $cfg == "$expected_uid:$expected_uid|[\"/usr/local/bin/schemagate-runner\"]|[\"migrate\"]" ]] \
  || fail "bundle image config is '$cfg'; want user $expected_uid:$expected_uid, entrypoint schemagate-runner, cmd migrate"
pass "image config: USER $expected_uid:$expected_uid (numeric), ENTRYPOINT schemagate-runner, CMD migrate"

rc=$(run_in "$good" "$work/out" "$work/err" id -u)
[[ $rc == 0 && $(cat "$work/out") == "$expected_uid" ]] || { show "$work/out" "$work/err"; fail "id -u in the image: exit $rc, want $expected_uid"; }
pass "processes run as uid $expected_uid"

rc=$(run_in "$good" "$work/out" "$work/err" bash -c 'echo "$HOME $TMPDIR"; command -v schemagate-runner; stat -c "%u %a" /migrations')
[[ $rc == 0 && $(cat "$work/out") == $'/tmp /tmp\n/usr/local/bin/schemagate-runner\n0 755' ]] \
  || { show "$work/out" "$work/err"; fail "want HOME=TMPDIR=/tmp, schemagate-runner on PATH, /migrations root-owned 0755"; }
pass "HOME=TMPDIR=/tmp, schemagate-runner on PATH, /migrations owned by root (0755)"

(cd "$bundle_src" && ls -1A | sort) > "$work/want"
rc=$(run_in "$good" "$work/out" "$work/err" bash -c 'cd /migrations && ls -1A | sort && cat -- * > /dev/null')
[[ $rc == 0 ]] || { show "$work/err"; fail "/migrations is not readable by uid $expected_uid"; }
diff -u "$work/want" "$work/out" >&2 || fail "/migrations does not hold exactly the bundle's files"
pass "/migrations holds the bundle's $(wc -l < "$work/want") files, readable by uid $expected_uid"

# Checked through the entrypoint, so with the runtime's flags and class path (-jar):
# -Xshare:on refuses to start when the archive does not match the JVM or the jar.
cds_check=(env 'SCHEMAGATE_JAVA_OPTS=-Xshare:on -XX:+PrintSharedArchiveAndExit' schemagate-runner)
rc=$(run_in "$good" "$work/out" "$work/err" "${cds_check[@]}")
[[ $rc == 0 ]] && grep -q 'archive is valid' "$work/out" \
  || { tail -5 "$work/out" | show; show "$work/err"; fail "the CDS archive does not map (java -Xshare:on exit $rc)"; }
pass "CDS archive /opt/schemagate/runner.jsa maps (-Xshare:on)"

# --- the runner ------------------------------------------------------------------------
rc=$(run_in "$good" "$work/lint.out" "$work/lint.err" schemagate-runner lint --output json)
runner_cli=1
if grep -q 'Could not find or load main class' "$work/lint.err"; then
  runner_cli=0
  [[ $IMAGE_TEST_REQUIRE_RUNNER == 1 ]] && { show "$work/lint.err"; fail "the runner jar has no CLI (IMAGE_TEST_REQUIRE_RUNNER=1)"; }
  skip "lint checks: the runner jar has no io.schemagate.runner.Main yet (rebuild the jar once the CLI is merged)"
else
  [[ $rc == 0 ]] || { show "$work/lint.out" "$work/lint.err"; fail "lint of the good bundle exited $rc, want 0"; }
  grep -Eq '"command"[[:space:]]*:[[:space:]]*"lint"' "$work/lint.out" \
    && grep -Eq '"status"[[:space:]]*:[[:space:]]*"Succeeded"' "$work/lint.out" \
    || { show "$work/lint.out"; fail "lint --output json did not print a Succeeded lint result"; }
  pass "lint of the good bundle: exit 0, status Succeeded"

  rc=$(run_in "$bad" "$work/out" "$work/err" schemagate-runner lint --output json)
  [[ $rc == 5 ]] || { show "$work/out" "$work/err"; fail "lint of the TIMESTAMP bundle exited $rc, want 5"; }
  grep -Eq '"reason"[[:space:]]*:[[:space:]]*"LintFailed"' "$work/out" \
    || { show "$work/out"; fail "lint of the TIMESTAMP bundle did not report reason LintFailed"; }
  pass "lint of the TIMESTAMP bundle: exit 5, reason LintFailed"
fi
timings+=("checks in working containers: $(elapsed "$t")s")

# --- read-only root file system ------------------------------------------------------
# What a restricted pod gets: root read-only, an empty writable /tmp, the image's
# env and user. buildah cannot mount the root read-only, so do it in a private
# mount namespace over the container's mounted file system (gone when it exits).
t=$(now)
mapfile -t image_env < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$bundle_image" | sed '/^$/d')
mnt=$(buildah mount "$good")
mkdir "$work/ro"
ro_run() { # OUT ERR CMD...: run CMD as the image user on the read-only root of $mnt with
           # the env in image_env; exit code echoed
  local out=$1 err=$2 rc=0
  shift 2
  unshare --mount --propagation private bash -euo pipefail -c '
    src=$1 ro=$2 uid=$3; shift 3
    mount --bind "$src" "$ro"
    mount -o remount,bind,ro "$ro"
    mount -t tmpfs -o mode=1777,size=512m tmpfs "$ro/tmp"
    mount -t proc proc "$ro/proc"
    mount --rbind /dev "$ro/dev"
    # As root, so only a read-only mount (not file permissions) can stop the write.
    if chroot "$ro" /usr/bin/touch /opt/schemagate/probe 2>/dev/null; then
      echo "the root file system is writable" >&2; exit 90
    fi
    exec chroot --userspec="$uid:$uid" "$ro" /usr/bin/env -i "$@"
  ' _ "$mnt" "$work/ro" "$expected_uid" "${image_env[@]}" "$@" > "$out" 2> "$err" || rc=$?
  echo "$rc"
}
if [[ $runner_cli == 1 ]]; then
  ro_cmd=(schemagate-runner lint --output json)
else
  ro_cmd=("${cds_check[@]}")
fi
rc=$(ro_run "$work/out" "$work/err" "${ro_cmd[@]}")
[[ $rc == 0 ]] || { show "$work/out" "$work/err"; fail "on a read-only root (only /tmp writable): '${ro_cmd[*]}' exited $rc"; }
pass "read-only root, only /tmp writable: '${ro_cmd[*]}' works"

# verify starts an embedded PostgreSQL from the jar: the heaviest user of /tmp,
# and a check that the bundle's U scripts undo its V scripts.
if [[ $runner_cli == 1 && $IMAGE_TEST_VERIFY == 1 ]]; then
  rc=$(ro_run "$work/out" "$work/err" schemagate-runner verify --output json)
  [[ $rc == 0 ]] && grep -Eq '"status"[[:space:]]*:[[:space:]]*"Succeeded"' "$work/out" \
    || { show "$work/out"; tail -20 "$work/err" | show; fail "verify on a read-only root exited $rc, want 0 and status Succeeded"; }
  pass "read-only root: verify (embedded PostgreSQL under /tmp) migrates, undoes and re-migrates the bundle"
fi
buildah umount "$good" >/dev/null
timings+=("read-only root check: $(elapsed "$t")s")

# --- operator image ---------------------------------------------------------------------
t=$(now)
op=''
new_container op "$OPERATOR_IMAGE"
# The flags docs/image.md documents, in the order the image runs them.
want_entrypoint=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75
  -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:ErrorFile=/tmp/hs_err_pid%p.log
  -Djava.io.tmpdir=/tmp -Xlog:disable -Xlog:all=warning:stderr
  -Xshare:auto -XX:SharedArchiveFile=/opt/schemagate/operator.jsa
  -jar /opt/schemagate/schemagate-operator.jar)
mapfile -t entrypoint < <(podman image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$OPERATOR_IMAGE" | sed '/^$/d')
cfg=$(podman image inspect --format '{{.Config.User}}|{{json .Config.Cmd}}|{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}' "$OPERATOR_IMAGE")
[[ "${entrypoint[*]}" == "${want_entrypoint[*]}" ]] \
  || fail "operator entrypoint is '${entrypoint[*]}'; want '${want_entrypoint[*]}'"
[[ $cfg == "$expected_uid:$expected_uid|null|8080/tcp 9443/tcp " ]] \
  || fail "operator image config is '$cfg'; want user $expected_uid:$expected_uid, no cmd, ports 8080/tcp 9443/tcp"
pass "operator image config: USER $expected_uid:$expected_uid, EXPOSE 8080 9443, ENTRYPOINT java with the documented flags"

rc=$(run_in "$op" "$work/out" "$work/err" id -u)
[[ $rc == 0 && $(cat "$work/out") == "$expected_uid" ]] || { show "$work/out" "$work/err"; fail "id -u in the operator image: exit $rc, want $expected_uid"; }
pass "operator: processes run as uid $expected_uid"

# The entrypoint with one change: -Xshare:on refuses to start when the archive does not
# match the JVM or the jar, where the image's -Xshare:auto would start without it.
cds_on=("${entrypoint[@]/#-Xshare:auto/-Xshare:on}")
jar_at=$((${#cds_on[@]} - 2))   # "-jar" JAR: the flags go in front of it
rc=$(run_in "$op" "$work/out" "$work/err" "${cds_on[@]:0:jar_at}" -XX:+PrintSharedArchiveAndExit "${cds_on[@]:jar_at}")
[[ $rc == 0 ]] && grep -q 'archive is valid' "$work/out" \
  || { tail -5 "$work/out" | show; show "$work/err"; fail "the operator's CDS archive does not map (java -Xshare:on exit $rc)"; }
pass "operator: CDS archive /opt/schemagate/operator.jsa maps (-Xshare:on)"

rc=$(run_in "$op" "$work/out" "$work/err" "${entrypoint[@]}" --log-format bogus)
[[ $rc == 1 ]] && grep -q 'invalid configuration: --log-format: unknown log format "bogus"' "$work/err" \
  || { show "$work/out" "$work/err"; fail "operator --log-format bogus exited $rc, want 1 and 'invalid configuration'"; }
pass "operator --log-format bogus: exit 1, invalid configuration"

# The chart's uninstall hook runs the same image with `release-holds` and its arguments.
rc=$(run_in "$op" "$work/out" "$work/err" "${entrypoint[@]}" release-holds --bogus)
[[ $rc == 2 ]] && grep -q 'release-holds: unknown argument --bogus' "$work/err" && grep -q '^usage: release-holds' "$work/err" \
  || { show "$work/out" "$work/err"; fail "operator release-holds --bogus exited $rc, want 2 and its usage"; }
pass "operator release-holds --bogus (the uninstall hook's command): exit 2 with its usage"

# A start against an API server that refuses connections, on a read-only root: the start
# path of every pod up to its first requests. fabric8 retries without backoff, so it ends
# in about a second; /metrics off, since the chroot shares this machine's ports.
op_mnt=$(buildah mount "$op")
mapfile -t image_env < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$OPERATOR_IMAGE" | sed '/^$/d')
image_env+=(KUBERNETES_MASTER=https://127.0.0.1:1 KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 SCHEMAGATE_HTTP_PORT=0)
mnt=$op_mnt
# Class loading on stdout (the operator logs to stderr): where OperatorMain came from.
rc=$(ro_run "$work/out" "$work/err" "${entrypoint[@]:0:jar_at}" -Xlog:class+load=info:stdout "${entrypoint[@]:jar_at}")
[[ $rc == 1 ]] && grep -q 'the operator could not start (API server https://127.0.0.1:1/)' "$work/err" \
  || { grep -v '^[[:space:]]*at ' "$work/err" | tail -15 | show; fail "operator without an API server exited $rc, want 1 and 'the operator could not start (API server ...)'"; }
! grep -qi 'read-only file system' "$work/err" \
  || { grep -i 'read-only' "$work/err" | show; fail "the operator wrote outside /tmp"; }
pass "operator without an API server, read-only root: exit 1, 'the operator could not start (API server https://127.0.0.1:1/)'"
grep -q 'io.schemagate.operator.OperatorMain source: shared objects file (top)' "$work/out" \
  || { grep 'OperatorMain' "$work/out" | show; fail "the operator's classes do not come from its CDS archive under the image's -Xshare:auto"; }
pass "operator: its classes load from operator.jsa with the image's own flags ($(grep -c 'source: shared objects file' "$work/out") of $(grep -c 'source:' "$work/out") classes from CDS)"
buildah umount "$op" >/dev/null

size=$(podman image inspect --format '{{.Size}}' "$OPERATOR_IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' "$RUNNER_BASE_IMAGE")
log "operator image: $((size / 1000000)) MB, of which $(((size - base_size) / 1000000)) MB above the JRE base it shares with the runner"
timings+=("operator image checks: $(elapsed "$t")s")

# --- CDS start-up measurement --------------------------------------------------------
# One untimed run per mode warms the page cache. The timed runs take turns (with the
# image's archive, the JDK's default archive only, no CDS, with, ...) so a load change
# on the machine hits every mode alike. Wall time and CPU time (user + sys); CPU time
# suffers less on a busy machine.
measure_startup() { # CONTAINER WHAT ARCHIVE_NAME CMD_WITH CMD_DEFAULT CMD_NONE (bash command lines)
  local rc
  rc=$(run_in "$1" "$work/bench" "$work/err" bash -c '
    n=$1 archive=$2
    shift 2
    cmds=("$@")
    modes=("with $archive" "JDK default CDS only" "no CDS at all")
    run() { eval "${cmds[$1]}" > /dev/null 2>&1 || true; }
    for m in 0 1 2; do run "$m"; done
    TIMEFORMAT="%R %U %S"
    for ((i = 0; i < n; i++)); do
      for m in 0 1 2; do
        echo "$m $( { time run "$m"; } 2>&1 )"
      done
    done > /tmp/bench.txt
    median() { sort -n | awk "{ v[NR] = \$1 } END { printf \"%4d\", 1000 * v[int((NR + 1) / 2)] }"; }
    for m in 0 1 2; do
      printf "%-22s median wall %s ms, cpu %s ms  (min wall %s ms, %d runs)\n" "${modes[m]}" \
        "$(awk -v m="$m" "\$1 == m { print \$2 }" /tmp/bench.txt | median)" \
        "$(awk -v m="$m" "\$1 == m { print \$3 + \$4 }" /tmp/bench.txt | median)" \
        "$(awk -v m="$m" "\$1 == m { print \$2 }" /tmp/bench.txt | sort -n | head -1 | awk "{ printf \"%4d\", 1000 * \$1 }")" "$n"
    done
  ' _ "$IMAGE_TEST_BENCH_RUNS" "$3" "$4" "$5" "$6")
  [[ $rc == 0 ]] || { show "$work/err"; fail "start-up measurement of $2 failed"; }
  log "start-up of $2:"
  sed 's/^/image-test:   /' "$work/bench" >&2
}
if [[ $IMAGE_TEST_BENCH_RUNS -gt 0 ]]; then
  t=$(now)
  if [[ $runner_cli == 1 ]]; then
    measure_startup "$good" "'schemagate-runner lint' on the bundle" runner.jsa \
      'schemagate-runner lint' \
      'SCHEMAGATE_CDS_ARCHIVE=/nonexistent schemagate-runner lint' \
      'SCHEMAGATE_CDS_ARCHIVE=/nonexistent SCHEMAGATE_JAVA_OPTS=-Xshare:off schemagate-runner lint'
  fi
  op_env='KUBERNETES_MASTER=https://127.0.0.1:1 KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 SCHEMAGATE_HTTP_PORT=0'
  no_archive=("${entrypoint[@]/#-XX:SharedArchiveFile=*/-Xshare:auto}")
  measure_startup "$op" "the operator up to its exit against no API server" operator.jsa \
    "$op_env $(printf '%q ' "${entrypoint[@]}")" \
    "$op_env $(printf '%q ' "${no_archive[@]}")" \
    "$op_env $(printf '%q ' "${no_archive[@]/#-Xshare:auto/-Xshare:off}")"
  timings+=("CDS start-up measurement: $(elapsed "$t")s")
fi

# The bundle images are cheap to rebuild; don't let them pile up (containers first,
# or the images are still in use).
remove_containers
podman rmi "$bundle_image" "$bad_bundle_image" >/dev/null 2>&1 || true

timings+=("total: $(elapsed "$t_total")s")
echo >&2
log "timings:"
printf 'image-test:   %s\n' "${timings[@]}" >&2
log "results:"
printf 'image-test:   %s\n' "${checks[@]}" >&2
log "OK"
