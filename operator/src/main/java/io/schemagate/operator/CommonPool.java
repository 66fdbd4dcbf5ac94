package io.schemagate.operator;

/**
 * Keeps CompletableFuture's default executor a pool on small machines.
 *
 * <p>The JDK's HTTP client, which fabric8's client uses, hands the continuation of every
 * asynchronous request to CompletableFuture's default executor. That executor is the common
 * fork-join pool only when the pool's parallelism is at least 2; its default is the CPU count minus
 * one, so with 2 CPUs or fewer (a laptop VM, or a pod with a CPU limit of 2 or less) it is a new
 * thread per task instead: one thread started for every API response. Measured with 1,000
 * SchemaMigrations on 2 CPUs: 20,000 threads started, 24 s of system time, all-Ready 46.7 s; with
 * the pool, 34 s.
 *
 * <p>The property must be set before the common pool is first used, so process entry points call
 * {@link #ensureParallelism()} first. An explicit {@code -D} setting is left alone.
 */
public final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Sets the common pool's parallelism to 2 when it would otherwise be below 2 and is unset. */
  public static void ensureParallelism() {
    if (System.getProperty(PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() - 1 < 2) {
      System.setProperty(PARALLELISM, "2");
    }
  }
}
