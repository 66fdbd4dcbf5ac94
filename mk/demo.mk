# Demo and sandbox targets; included by the main Makefile.
#   make demo                 the operator on examples/: apply examples/schemamigration.yaml to a local
#                             sandbox, serve the example bundle as its image, print `kubectl get smig -o wide`
#   make sandbox ARGS="..."   the sandbox with your own manifests and bundles (docs/sandbox.md)
#   make demo-runner          the runner alone: lint, verify, migrate and info on the example bundle
# Need only Java 17 and Maven; the PostgreSQL binaries and the API server come from Maven Central.
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

.PHONY: demo sandbox demo-runner sandbox-build
sandbox-build:
	@$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/pom.xml -pl sandbox -am package -DskipTests -Dspotless.check.skip=true >&2

demo: $(SANDBOX_BUILD) ## run the operator locally on examples/ and print the table kubectl get smig would
	@$(SANDBOX_JAVA) io.schemagate.sandbox.Sandbox --runner-jar $(RUNNER_JAR) \
	  --apply $(DEMO_ROOT)/examples/schemamigration.yaml --bundle $(DEMO_IMAGE)=$(DEMO_BUNDLE)

sandbox: $(SANDBOX_BUILD) ## the local sandbox: make sandbox ARGS="--apply FILE --bundle IMAGE=DIR [--output json]"
	@$(SANDBOX_JAVA) io.schemagate.sandbox.Sandbox --runner-jar $(RUNNER_JAR) $(ARGS)

demo-runner: $(SANDBOX_BUILD) ## the runner alone: lint, verify, migrate and info on the example bundle
	@$(SANDBOX_JAVA) io.schemagate.sandbox.RunnerDemo $(DEMO_BUNDLE)
