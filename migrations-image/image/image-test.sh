#!/usr/bin/env bash
# Image test without a container engine: build the runner image and two bundle
# images FROM it, then check them by running commands in buildah working
# containers (chroot isolation) and in a read-only chroot of the image.
#
#   good bundle: examples/bundle/sql/ when it exists, else image/test-bundle/sql/
#                -> runs as the numeric non-root user, /migrations holds the files,
#                   `lint` exits 0 with a Succeeded result, the CDS archive maps,
#                   `lint` and `verify` work on a read-only root with only /tmp writable
#   bad bundle:  image/test-bundle-bad/sql/ (a TIMESTAMP column) -> `lint` exits 5
#
# Env: RUNNER_IMAGE, RUNNER_BASE_IMAGE  as for build.sh
#      IMAGE_TEST_REQUIRE_RUNNER=1      fail (not skip) when the jar has no runner CLI yet
#      IMAGE_TEST_BENCH_RUNS=5          start-up runs per mode for the CDS measurement (0: off)
#      IMAGE_TEST_VERIFY=1              run `verify` (embedded PostgreSQL) on the read-only root (0: off)
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo_root/migrations-image/image
export RUNNER_IMAGE=${RUNNER_IMAGE:-localhost/schemagate-runner:dev}
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

# --- runner image -----------------------------------------------------------------
t=$(now)
# Progress lines live (debootstrap takes minutes), the full log only on failure.
"$here/build.sh" 2>&1 | tee "$work/build.log" | { grep --line-buffered -E '^(build|base)\.sh: |^cds-train: ' >&2 || true; } \
  || { tail -40 "$work/build.log" >&2; fail "building $RUNNER_IMAGE failed (log above)"; }
timings+=("runner image (jar + base + podman build): $(elapsed "$t")s")

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
run_in() { # CONTAINER OUT_FILE ERR_FILE CMD...
  local c=$1 out=$2 err=$3 rc=0
  shift 3
  buildah run --isolation chroot "$c" -- "$@" > "$out" 2> "$err" || rc=$?
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
ro_run() { # OUT ERR CMD...: run CMD as the image user on the read-only root; exit code echoed
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

# --- CDS start-up measurement --------------------------------------------------------
if [[ $runner_cli == 1 && $IMAGE_TEST_BENCH_RUNS -gt 0 ]]; then
  t=$(now)
  # One untimed run per mode warms the page cache. The timed runs take turns
  # (with, default, none, with, ...) so a load change on the machine hits every mode alike.
  rc=$(run_in "$good" "$work/bench" "$work/err" bash -c '
    n=$1
    modes=("with runner.jsa" "JDK default CDS only" "no CDS at all")
    run() { # MODE_INDEX
      case $1 in
        0) schemagate-runner lint ;;
        1) SCHEMAGATE_CDS_ARCHIVE=/nonexistent schemagate-runner lint ;;
        2) SCHEMAGATE_CDS_ARCHIVE=/nonexistent SCHEMAGATE_JAVA_OPTS=-Xshare:off schemagate-runner lint ;;
      esac > /dev/null 2>&1 || true
    }
    for m in 0 1 2; do run "$m"; done
    # Wall time and CPU time (user + sys); CPU time suffers less on a busy machine.
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
  ' _ "$IMAGE_TEST_BENCH_RUNS")
  [[ $rc == 0 ]] || { show "$work/err"; fail "start-up measurement failed"; }
  log "start-up of 'schemagate-runner lint' on the bundle:"
  sed 's/^/image-test:   /' "$work/bench" >&2
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
