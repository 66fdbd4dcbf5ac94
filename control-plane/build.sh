#!/usr/bin/env bash
# make k8s-bin: kube-apiserver, kube-controller-manager, kubectl and etcd of one pinned version
# (control-plane/versions; K8S_VERSION= picks another), built from their published Go modules as
# upstream builds them, into a cache outside the work tree that every clone shares:
#   ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/k8s/<version>-<os>-<arch>/
# A version whose binaries are all there is not built again. Prints the folder on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

pinned() { awk '!/^#/ && NF' "$here/versions"; }
version=${K8S_VERSION:-$(pinned | awk '{print $1; exit}')}
etcd_version=$(pinned | awk -v v="$version" '$1 == v {print $2}')
if [[ -z $etcd_version ]]; then
  echo "k8s-bin: Kubernetes $version is not pinned; pinned: $(pinned | awk '{printf "%s ", $1}')(control-plane/versions)" >&2
  exit 2
fi
default_k8s=$(pinned | awk '{print $1; exit}')
default_etcd=$(pinned | awk '{print $2; exit}')
k8s_modfile=go.mod
[[ ${version%.*} == "${default_k8s%.*}" ]] || k8s_modfile=go-${version%.*}.mod
etcd_modfile=go.mod
[[ ${etcd_version%.*} == "${default_etcd%.*}" ]] || etcd_modfile=go-${etcd_version%.*}.mod

os=linux
case $(uname -m) in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
cache_root=${SCHEMAGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/schemagate}/k8s
out=$cache_root/$version-$os-$arch
binaries=(kube-apiserver kube-controller-manager kubectl etcd)

complete() {
  for b in "${binaries[@]}"; do [[ -x $out/$b ]] || return 1; done
}
if complete; then
  echo "$out"
  exit 0
fi

if ! command -v go >/dev/null; then
  cat >&2 <<MSG
k8s-bin: building the test control plane needs Go 1.24 or newer (Kubernetes $version), which this
machine lacks: install it (https://go.dev/dl/, or apt-get install golang-go where that is new
enough). Without Go, make test skips the tests on the real control plane.
MSG
  exit 3
fi

export GOTOOLCHAIN=local CGO_ENABLED=0
mkdir -p "$cache_root"
tmp=$(mktemp -d "$out.partial.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)

# Stamped as upstream's hack/lib/version.sh does, so that /version, kubectl version and clients
# see the real version.
minor=${version#*.}
minor=${minor%%.*}
ld="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
echo "k8s-bin: building Kubernetes $version and etcd $etcd_version into $out" >&2
(cd "$here/kubernetes" && go build -modfile="$k8s_modfile" -trimpath -tags selinux,notest -ldflags "$ld" \
  -o "$tmp/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kubectl)
(cd "$here/etcd" && go build -modfile="$etcd_modfile" -trimpath -ldflags "-s -w" -o "$tmp/etcd" .)

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "k8s-bin: built in $(($(date +%s) - start)) s" >&2
echo "$out"
