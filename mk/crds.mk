# CRD target; included by the main Makefile.
#   make crds    regenerate crds/schemamigrations.schemagate.io-v1.yml from the API types, and the
#                Helm chart's copy (helm/schemagate/crds/; ChartTemplateTest keeps them identical)
# The build generates the CRD into crds/target and fails while the committed copy differs.

MVN ?= mvn
MVN_FLAGS ?= -B -q

# Resolved at include time, so the target works from any directory make runs in.
CRDS_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
CRD_FILE := schemamigrations.schemagate.io-v1.yml

.PHONY: crds
crds: ## regenerate the committed CRD (crds/schemamigrations.schemagate.io-v1.yml and the Helm chart's copy) from the API types
	$(MVN) $(MVN_FLAGS) -f $(CRDS_ROOT)/pom.xml -pl crds -am process-test-classes -Dspotless.check.skip=true
	cp $(CRDS_ROOT)/crds/target/classes/META-INF/fabric8/$(CRD_FILE) $(CRDS_ROOT)/crds/$(CRD_FILE)
	cp $(CRDS_ROOT)/crds/$(CRD_FILE) $(CRDS_ROOT)/helm/schemagate/crds/$(CRD_FILE)
