#!/usr/bin/env bash
# Writes the wrapper module of one Kubernetes or etcd version and its go.sum, from what the Go
# module proxy serves. Run it to add or move a pinned version; make k8s-bin only builds.
#   control-plane/regenerate.sh kubernetes 1.34.4
#   control-plane/regenerate.sh etcd 3.6.4
set -euo pipefail
cd "$(dirname "$0")"
what=${1:?kubernetes or etcd}
version=${2:?a version such as 1.34.4}
minor=${version%.*}
# The default version's module is go.mod (go needs one to find the module's root); the others
# are go-<minor>.mod beside it, picked with go -modfile.
if [[ $what == kubernetes ]]; then default_minor=$(awk '!/^#/ && NF {print $1; exit}' versions); else default_minor=$(awk '!/^#/ && NF {print $2; exit}' versions); fi
default_minor=${default_minor%.*}
modfile=go.mod
[[ $minor == "$default_minor" ]] || modfile=go-$minor.mod
sumfile=${modfile%.mod}.sum
proxy=${GOPROXY:-https://proxy.golang.org}
proxy=${proxy%%,*}
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
# sum.golang.org is out of reach on these machines: go.sum is written from what the proxy serves,
# and from then on every build checks the modules it downloads against it.
export GOSUMDB=off

case "$what" in
  kubernetes)
    upstream=$(curl -fsS "$proxy/k8s.io/kubernetes/@v/v$version.mod")
    go_version=$(awk '$1 == "go" {print $2; exit}' <<<"$upstream")
    {
      echo "// The Kubernetes $version control plane, built from its published modules (make k8s-bin)."
      echo "// k8s.io/kubernetes requires its staging modules at v0.0.0 and its own replace lines do not"
      echo "// apply in a dependency: each is mapped here to the published v0.${version#1.}."
      echo "// Written by control-plane/regenerate.sh."
      echo "module schemagate.io/control-plane/kubernetes"
      echo
      echo "go $go_version"
      echo
      echo "require k8s.io/kubernetes v$version"
      echo
      echo "replace ("
      awk -v v="v0.${version#1.}" '/=> \.\/staging\// {print "\t" $1 " => " $1 " " v}' <<<"$upstream"
      echo ")"
      echo
      echo "tool ("
      echo "	k8s.io/kubernetes/cmd/kube-apiserver"
      echo "	k8s.io/kubernetes/cmd/kube-controller-manager"
      echo "	k8s.io/kubernetes/cmd/kubectl"
      echo ")"
    } >"kubernetes/$modfile"
    (cd kubernetes && rm -f "$sumfile" && go mod tidy -modfile="$modfile")
    ;;
  etcd)
    {
      echo "// etcd $version for the test control plane, in a module of its own so that it does not move"
      echo "// the etcd client kube-apiserver is built with. Written by control-plane/regenerate.sh."
      echo "module schemagate.io/control-plane/etcd"
      echo
      echo "go 1.24.0"
      echo
      echo "require go.etcd.io/etcd/server/v3 v$version"
    } >"etcd/$modfile"
    (cd etcd && rm -f "$sumfile" && go mod tidy -modfile="$modfile")
    ;;
  *)
    echo "regenerate.sh: kubernetes or etcd, not $what" >&2
    exit 2
    ;;
esac
