# Operator targets; included by the main Makefile.
#   make run          the operator on this machine against the current kubeconfig's cluster
#   make helm-lint    lint the Helm chart (helm/schemagate) strictly
# `make run` builds the operator's runnable jar first and starts it as its image does (without the
# class-data archive): it reconciles the SchemaMigrations of the kubeconfig's cluster with your
# credentials, serves /metrics, /healthz and /readyz on :8080, and no webhook (the reconciler alone
# keeps the gate). Stop it with Ctrl-C. Settings are environment variables (docs/concepts.md), e.g.
#   make run SCHEMAGATE_WATCH_NAMESPACES=shop RUN_ARGS="--log-format json"

MVN ?= mvn
MVN_FLAGS ?= -B -q
JAVA ?= java
RUN_ARGS ?=

OPERATOR_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
OPERATOR_JAR := $(OPERATOR_ROOT)/operator/target/schemagate-operator.jar
HELM ?= helm

.PHONY: run helm-lint

run: ## the operator against the current kubeconfig's cluster (its runnable jar, no webhook; RUN_ARGS, SCHEMAGATE_* settings)
	$(MVN) $(MVN_FLAGS) -f $(OPERATOR_ROOT)/pom.xml -pl operator -am package -DskipTests
	$(JAVA) -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar $(OPERATOR_JAR) $(RUN_ARGS)

# The Helm CLI where it is installed; otherwise the Helm that helm-java embeds, through the chart's
# lint test (the one make test runs).
helm-lint: ## lint the Helm chart helm/schemagate (--strict; the helm CLI if installed, else the embedded Helm)
	@if command -v $(HELM) >/dev/null; then \
	  $(HELM) lint --strict $(OPERATOR_ROOT)/helm/schemagate; \
	else \
	  $(MVN) $(MVN_FLAGS) -f $(OPERATOR_ROOT)/pom.xml -pl operator -am test -Dtest=ChartLintTest \
	    -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
	    && echo "helm-lint: helm/schemagate passes helm lint --strict (embedded Helm)"; \
	fi
