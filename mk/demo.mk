# Demo and sandbox targets; included by the main Makefile.
#   make demo                 the operator on examples/, in two steps, as a user applies them to a
#                             cluster: `--apply examples/` (00 to 40: the app is held until the
#                             migration reaches 7, then released), then `--apply
#                             examples/roll-forward/` (bundle 1.1.0 and the app needing 8: held
#                             again until 8, then released). The state (`kubectl get smig -o wide`
#                             and the gated Deployment) is printed after each step; the holds and
#                             releases stream as Events on stderr
#   make demo-real            the same on a real Kubernetes control plane (make k8s-bin builds it; needs Go)
#   make sandbox ARGS="..."   the sandbox with your own manifests and bundles (docs/sandbox.md)
#   make demo-runner          the runner alone: lint, verify, migrate and info on the example bundle
# The images are served from the example's folders: 1.0.0 is examples/bundle/sql; 1.1.0, built
# FROM 1.0.0 by examples/roll-forward/Dockerfile, is that folder with examples/roll-forward/sql
# over it (`--bundle IMAGE=DIR:DIR`, the image's layers).
# examples/10-postgres.yaml (the demo PostgreSQL for kind) is applied with the rest, and is
# harmless here: the sandbox sends every database host of a SchemaMigration's URL to its embedded
# PostgreSQL, creating the URL's database and the Secret's role, so the Service `accounts-db` is
# never used. Its StatefulSet and Service are only stored, on the mock API server and on the real
# control plane alike (the sandbox's runs no StatefulSet controller, so no pod of it is created);
# on the real one, Pod Security admission still checks its pod template.
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
DEMO_EXAMPLES ?= $(DEMO_ROOT)/examples
DEMO_BUNDLE ?= $(DEMO_EXAMPLES)/bundle/sql
DEMO_IMAGE ?= registry.example.com/accounts-migrations:1.0.0
# The roll-forward's image: the 1.0.0 bundle's folder, then the files its Dockerfile adds.
DEMO_IMAGE_V2 ?= registry.example.com/accounts-migrations:1.1.0
DEMO_BUNDLE_V2 ?= $(DEMO_BUNDLE):$(DEMO_EXAMPLES)/roll-forward/sql
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

demo: $(SANDBOX_BUILD) ## run the operator locally on examples/, then its roll-forward; print the state after each
	@$(call SANDBOX_K8S,$(ARGS)); exec $(SANDBOX_JAVA) io.schemagate.sandbox.Sandbox --runner-jar $(RUNNER_JAR) \
	  --apply $(DEMO_EXAMPLES) --apply $(DEMO_EXAMPLES)/roll-forward --state-after-each \
	  --bundle $(DEMO_IMAGE)=$(DEMO_BUNDLE) --bundle $(DEMO_IMAGE_V2)=$(DEMO_BUNDLE_V2) $(ARGS)

demo-real: ## make demo on a real Kubernetes control plane (its binaries: make k8s-bin, needs Go); ARGS=--hold keeps it up
	@$(MAKE) --no-print-directory demo ARGS="--control-plane real $(ARGS)"

sandbox: $(SANDBOX_BUILD) ## the local sandbox: make sandbox ARGS="--apply FILE --bundle IMAGE=DIR [--control-plane real] [--hold] [--output json]"
	@$(call SANDBOX_K8S,$(ARGS)); exec $(SANDBOX_JAVA) io.schemagate.sandbox.Sandbox --runner-jar $(RUNNER_JAR) $(ARGS)

demo-runner: $(SANDBOX_BUILD) ## the runner alone: lint, verify, migrate and info on the example bundle
	@$(SANDBOX_JAVA) io.schemagate.sandbox.RunnerDemo $(DEMO_BUNDLE)
