# The real control plane for tests; included by the main Makefile.
#   make k8s-bin                     build kube-apiserver, kube-controller-manager, kubectl and etcd
#                                    of the default pinned version into ~/.cache/schemagate/k8s/
#   make k8s-bin K8S_VERSION=1.37.2  the newest pinned version (control-plane/versions)
#   make test-k8s                    only the tests on the real control plane
# Needs Go (1.24+; 1.26+ for Kubernetes 1.37); see docs/testing.md.

K8S_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
K8S_VERSION ?=
export K8S_VERSION
# The control plane's folder for the tests, when this machine can build it: empty without Go.
K8S_BIN = $(K8S_ROOT)/control-plane/build.sh

.PHONY: k8s-bin test-k8s
k8s-bin: ## build the test control plane into ~/.cache/schemagate/k8s (K8S_VERSION=1.37.2 for the newest)
	@$(K8S_BIN) >/dev/null

test-k8s: ## only the tests on the real control plane (builds it first; K8S_VERSION= as for k8s-bin)
	@dir=$$($(K8S_BIN)) && $(MVN) -B verify -Dgroups=control-plane -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dschemagate.k8s.dir="$$dir"
