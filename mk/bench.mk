# make bench: whole-process timings of the runner against psql, Alembic and stock Flyway on one
# PostgreSQL server, ratios in one run (method and results: docs/benchmarks.md).
#   make bench BENCH_ARGS="--runs 5 --migrations 200"
#   make bench RUNNER_JVM_ARGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"

BENCH_ARGS ?=
# The runner as the image runs it: the entrypoint's JVM flags and a class-data archive trained
# by the image's own script (here with this machine's JVM). RUNNER_JVM_ARGS= measures a bare jar.
RUNNER_CDS := $(abspath bench/target/runner.jsa)
RUNNER_JVM_ARGS ?= -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -XX:SharedArchiveFile=$(RUNNER_CDS)
BENCH_JAVA ?= java
BENCH_MVN ?= mvn -q -B

.PHONY: bench bench-runner bench-operator bench-operator-real bench-gate bench-build bench-cds bench-alembic
OPERATOR_BENCH_ARGS ?=
GATE_BENCH_ARGS ?=

bench: bench-runner bench-operator bench-gate ## all benchmarks: the runner against psql, Alembic and Flyway; the operator with 1,000 resources; the gate's release latency

bench-runner: bench-build bench-cds bench-alembic ## time the runner against psql, Alembic and stock Flyway (BENCH_ARGS, RUNNER_JVM_ARGS)
	$(BENCH_JAVA) -XX:+UseSerialGC -Dbench.runnerJvmArgs="$(RUNNER_JVM_ARGS)" \
	  -cp "bench/target/classes:bench/target/lib/*" io.schemagate.bench.MigrationBench $(BENCH_ARGS)

bench-operator: bench-build ## the operator (own process) under 1,000 SchemaMigrations, cold and warm; Jobs completed by a canned executor (OPERATOR_BENCH_ARGS)
	$(BENCH_JAVA) -XX:+UseSerialGC -Xmx1g -cp "bench/target/classes:bench/target/lib/*" \
	  io.schemagate.bench.OperatorBench $(OPERATOR_BENCH_ARGS)

# The same on a real control plane (etcd, kube-apiserver, kube-controller-manager of make k8s-bin;
# K8S_VERSION=1.37.2 for the newest): Kubernetes' own Job controller, the kubelet stand-in as node.
bench-operator-real: bench-build ## the operator benchmark on a real control plane (builds it first; K8S_VERSION=, OPERATOR_BENCH_ARGS)
	@dir=$$($(K8S_BIN)) && $(BENCH_JAVA) -XX:+UseSerialGC -Xmx1g -Dschemagate.k8s.dir="$$dir" \
	  -cp "bench/target/classes:bench/target/lib/*" \
	  io.schemagate.bench.OperatorBench --control-plane real $(OPERATOR_BENCH_ARGS)

# The gate on a real control plane (make k8s-bin's binaries): from a migration Job seen succeeded
# to its held Deployments seen released, against a plain patch of the bench's own at the same moment.
bench-gate: bench-build ## the gate on a real control plane: Job succeeded → Deployment released, p50–p99, vs a same-process baseline (K8S_VERSION=, GATE_BENCH_ARGS)
	@dir=$$($(K8S_BIN)) && $(BENCH_JAVA) -XX:+UseSerialGC -Xmx1g -Dschemagate.k8s.dir="$$dir" \
	  -cp "bench/target/classes:bench/target/lib/*" \
	  io.schemagate.bench.GateBench $(GATE_BENCH_ARGS)

# The runner jar (and the parent pom the bench module resolves), then the bench and its class paths.
bench-build:
	$(BENCH_MVN) install -DskipTests -pl migrations-image,operator,sandbox -am
	$(BENCH_MVN) -f bench/pom.xml package -DskipTests

bench-cds: bench-build
	migrations-image/image/cds-train.sh $(abspath migrations-image/target/schemagate-runner.jar) $(RUNNER_CDS) $(abspath migrations-image/image/cds-training/sql) > bench/target/cds-train.log 2>&1 \
	  || { tail -20 bench/target/cds-train.log; exit 1; }

# Alembic is a reference tool, not a dependency: install Debian's when we may, else the bench
# prints how and skips it.
bench-alembic:
	@if ! /usr/bin/python3 -c 'import alembic, psycopg2' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "bench: installing python3-alembic python3-psycopg2"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-alembic python3-psycopg2 >/dev/null \
	      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-alembic python3-psycopg2 >/dev/null; } \
	      || echo "bench: could not install Alembic; it will be skipped"; \
	  else \
	    echo "bench: Alembic missing; as root: apt-get install -y python3-alembic python3-psycopg2"; \
	  fi; \
	fi
