# Demo target; included by the main Makefile.
#   make demo    lint, verify, migrate and inspect examples/bundle/sql on a throwaway PostgreSQL
# Needs only Java 17 and Maven; the PostgreSQL binaries come from Maven Central.

MVN ?= mvn
MVN_FLAGS ?= -B -q

# Resolved at include time, so the target works from any directory make runs in.
DEMO_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
DEMO_BUNDLE ?= $(DEMO_ROOT)/examples/bundle/sql

.PHONY: demo
demo: ## lint, verify, migrate and inspect the example bundle on a throwaway PostgreSQL
	$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/pom.xml -pl migrations-image -am install -DskipTests -Dspotless.check.skip=true
	$(MVN) $(MVN_FLAGS) -f $(DEMO_ROOT)/sandbox/pom.xml compile exec:java -Dexec.args='$(DEMO_BUNDLE)'
