# schemagate: the front door. `make demo` runs the product locally, `make test` runs every test.
SHELL := /bin/bash
MVN ?= mvn
MVN_FLAGS ?= -B -q

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: build
build: ## compile and package every module (no tests)
	$(MVN) $(MVN_FLAGS) install -DskipTests

.PHONY: test
test: ## every test and the format check (what CI runs); the real control plane's where Go is installed
	@if command -v go >/dev/null; then \
	  dir=$$($(K8S_BIN)) || exit 1; \
	else \
	  echo "make test: no Go here, so no control plane to build: its tests are skipped (docs/testing.md)" >&2; \
	fi; \
	$(MVN) -B verify $${dir:+-Dschemagate.k8s.dir="$$dir"}

.PHONY: fmt
fmt: ## format the Java sources (google-java-format via spotless)
	$(MVN) $(MVN_FLAGS) spotless:apply

.PHONY: runner
runner: ## build migrations-image/target/schemagate-runner.jar
	$(MVN) $(MVN_FLAGS) -pl migrations-image -am package -DskipTests

.PHONY: clean
clean: ## remove build output
	$(MVN) $(MVN_FLAGS) clean

# Targets contributed by parts of the repo: demo, bench, image, image-test, crds, k8s-bin, test-k8s.
-include mk/*.mk
