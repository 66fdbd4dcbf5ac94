# Demo and sandbox targets; included by the main Makefile.
#   make demo                 the operator on examples/: apply examples/schemamigration.yaml to a local
#                             sandbox, serve the example bundle as its image, print `kubectl get smig -o wide`
#   make sandbox ARGS="..."   the sandbox with your own manifests and bundles (docs/sandbox.md)
#   make demo-runner          the runner alone: lint, verify, migrate and info on the example bundle
# Need only Java 17 and Maven; the PostgreSQL binaries and the API server come from Maven Central.

MVN ?= mvn
MVN_FLAGS ?= -B -q

# Resolved at include time, so the targets work from any directory make runs in.
DEMO_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
DEMO_BUNDLE ?= $(DEMO_ROOT)/examples/bundle/sql
DEMO_IMAGE ?= registry.example.com/accounts-migrations:1.0.0
ARGS ?=

.PHONY: demo sandbox demo-runner sandbox-build
sandbox-build:
	$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/pom.xml -pl sandbox -am install -DskipTests -Dspotless.check.skip=true

demo: sandbox-build ## run the operator locally on examples/ and print the table kubectl get smig would
	$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/sandbox/pom.xml exec:java -Dexec.mainClass=io.schemagate.sandbox.Sandbox \
	  -Dexec.args='--apply $(DEMO_ROOT)/examples/schemamigration.yaml --bundle $(DEMO_IMAGE)=$(DEMO_BUNDLE) --runner-jar $(DEMO_ROOT)/migrations-image/target/schemagate-runner.jar'

sandbox: sandbox-build ## the local sandbox: make sandbox ARGS="--apply FILE --bundle IMAGE=DIR [--output json]"
	$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/sandbox/pom.xml exec:java -Dexec.mainClass=io.schemagate.sandbox.Sandbox \
	  -Dexec.args='--runner-jar $(DEMO_ROOT)/migrations-image/target/schemagate-runner.jar $(ARGS)'

demo-runner: sandbox-build ## the runner alone: lint, verify, migrate and info on the example bundle
	$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/sandbox/pom.xml exec:java -Dexec.mainClass=io.schemagate.sandbox.RunnerDemo -Dexec.args='$(DEMO_BUNDLE)'
