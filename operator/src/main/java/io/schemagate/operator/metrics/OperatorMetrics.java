package io.schemagate.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.schemagate.operator.gate.GateCounters;
import java.time.Clock;

/**
 * Everything {@code /metrics} serves, in one Micrometer Prometheus registry: the JVM's and the
 * process' meters, JOSDK's reconciliation meters (per controller, not per resource), and the
 * per-SchemaMigration series of {@link MigrationMetrics}.
 */
public final class OperatorMetrics implements AutoCloseable {
  /** The content type of {@link #scrape()}: Prometheus' text format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final java.util.Set<String> UNLINTED =
      java.util.Set.of("system.cpu.count", "process.cpu.time");

  private final PrometheusMeterRegistry registry;
  private final MigrationMetrics migrations;
  private final MicrometerMetrics reconciliations;
  private final JvmGcMetrics gc;

  public OperatorMetrics(Clock clock, GateCounters gate) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Two of Micrometer's processor meters break Prometheus' naming rules (promtool check metrics:
    // a "_count" gauge, a "_ns" counter); system_cpu_usage and process_cpu_usage say the same.
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> UNLINTED.contains(id.getName())))
        // JOSDK's meters carry no description, and a family without HELP fails the same check.
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return (id.getDescription() == null || id.getDescription().isBlank())
                        && id.getName().startsWith("operator.sdk.")
                    ? new Meter.Id(
                        id.getName(),
                        Tags.of(id.getTags()),
                        id.getBaseUnit(),
                        josdkHelp(id.getName()),
                        id.getType())
                    : id;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    migrations = new MigrationMetrics(clock, gate);
    registry.getPrometheusRegistry().register(migrations);
    reconciliations = MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** A HELP text for one of JOSDK's meters, which have none. */
  static String josdkHelp(String name) {
    String what = name.substring("operator.sdk.".length()).replace('.', ' ');
    return "Java Operator SDK: " + what + " (per controller)";
  }

  /** The per-SchemaMigration series, which the migration controller feeds. */
  public MigrationMetrics migrations() {
    return migrations;
  }

  /** JOSDK's meters, to hand to the operator's configuration. */
  public Metrics reconciliations() {
    return reconciliations;
  }

  /** The text {@code /metrics} serves, computed now. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
