# Demo and sandbox targets; included by the main Makefile.
#   make demo                 the operator on examples/: apply examples/gated-app.yaml (held) and then
#                             examples/schemamigration.yaml to a local sandbox, serve the example
#                             bundle as its image, print `kubectl get smig -o wide` and the gated Deployment
#   make demo-real            the same on a real Kubernetes control plane (make k8s-bin builds it; needs Go)
#   make sandbox ARGS="..."   the sandbox with your own manifests and bundles (docs/sandbox.md)
#   make demo-runner          the runner alone: lint, verify, migrate and info on the example bundle
# Need only Java 17 and Maven; the PostgreSQL binaries and the API server come from Maven Central.
# ARGS with `--control-plane real` (and make demo-real) also need the control plane's binaries: where
# Go is installed they are built first if the cache lacks them (make k8s-bin, K8S_VERSION= picks the
# version); without Go, those in the cache are used, else the sandbox says what to do in one line.
# Stdout carries only what the program prints (`make sandbox ARGS="... --output json" | jq` works):
# the build's output goes to stderr, the recipes are not echoed, and the program runs on a plain
# `java` with the class path the build wrote, not inside Maven.

MVN ?= mvn
MVN_FLAGS ?= -B -q
JAVA ?= java

# Resolved at include time, so the targets work from any directory make runs in.
DEMO_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
DEMO_BUNDLE ?= $(DEMO_ROOT)/examples/bundle/sql
DEMO_IMAGE ?= registry.example.com/accounts-migrations:1.0.0
RUNNER_JAR := $(DEMO_ROOT)/migrations-image/target/schemagate-runner.jar
ARGS ?=
# The prerequisite that builds the sandbox; empty runs what is already built (the sandbox's tests).
SANDBOX_BUILD ?= sandbox-build
SANDBOX_JAVA = $(JAVA) -cp "$(DEMO_ROOT)/sandbox/target/classes:$$(cat $(DEMO_ROOT)/sandbox/target/classpath.txt)"
# Shell code run before the sandbox: when $(1) asks for the real control plane and
# SCHEMAGATE_K8S_DIR is not set, exports the folder of its binaries (control-plane/build.sh: built
# first where Go is installed; without Go only what the cache holds, quietly).
SANDBOX_K8S = case " $(1) " in *" --control-plane real "*) \
	  if [ -z "$$SCHEMAGATE_K8S_DIR" ]; then \
	    if command -v go >/dev/null; then dir=$$($(K8S_BIN)) || exit $$?; \
	    else dir=$$($(K8S_BIN) 2>/dev/null); fi; \
	    [ -z "$$dir" ] || export SCHEMAGATE_K8S_DIR="$$dir"; \
	  fi;; \
	esac

.PHONY: demo demo-real sandbox demo-runner sandbox-build
sandbox-build:
	@$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/pom.xml -pl sandbox -am package -DskipTests -Dspotless.check.skip=true >&2

demo: $(SANDBOX_BUILD) ## run the operator locally on examples/ and print the table kubectl get smig would
	@$(call SANDBOX_K8S,$(ARGS)); exec $(SANDBOX_JAVA) io.schemagate.sandbox.Sandbox --runner-jar $(RUNNER_JAR) \
	  --apply $(DEMO_ROOT)/examples/gated-app.yaml --apply $(DEMO_ROOT)/examples/schemamigration.yaml --bundle $(DEMO_IMAGE)=$(DEMO_BUNDLE) $(ARGS)

demo-real: ## make demo on a real Kubernetes control plane (its binaries: make k8s-bin, needs Go); ARGS=--hold keeps it up
	@$(MAKE) --no-print-directory demo ARGS="--control-plane real $(ARGS)"

sandbox: $(SANDBOX_BUILD) ## the local sandbox: make sandbox ARGS="--apply FILE --bundle IMAGE=DIR [--control-plane real] [--hold] [--output json]"
	@$(call SANDBOX_K8S,$(ARGS)); exec $(SANDBOX_JAVA) io.schemagate.sandbox.Sandbox --runner-jar $(RUNNER_JAR) $(ARGS)

demo-runner: $(SANDBOX_BUILD) ## the runner alone: lint, verify, migrate and info on the example bundle
	@$(SANDBOX_JAVA) io.schemagate.sandbox.RunnerDemo $(DEMO_BUNDLE)
