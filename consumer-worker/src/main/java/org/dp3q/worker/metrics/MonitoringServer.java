package org.dp3q.worker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.dp3q.worker.logs.LogDirectory;

/**
 * The optional HTTP side of a worker ({@code --http-port}): Micronaut management's {@code /health} and the
 * Prometheus scrape endpoint {@code /prometheus}, and the attempt logs at {@code /logs/...}, on a context of its own so a worker without the port
 * starts no server at all.
 */
public final class MonitoringServer implements AutoCloseable {
    private final ApplicationContext context;

    private MonitoringServer(ApplicationContext context) {
        this.context = context;
    }

    /** Starts the server; it also serves the attempt logs under {@code logs} at {@code /logs/...}. */
    public static MonitoringServer start(int port, BrokerLink link, ConditionLink condition, LogDirectory logs) {
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.port", port,
                        "micronaut.server.host", "0.0.0.0",
                        "endpoints.all.enabled", true,
                        "endpoints.all.sensitive", false,
                        "endpoints.health.details-visible", "ANONYMOUS",
                        "endpoints.prometheus.sensitive", false,
                        "micronaut.metrics.enabled", true,
                        "micronaut.metrics.binders.jvm.enabled", true,
                        "micronaut.metrics.export.prometheus.enabled", true,
                        "micronaut.metrics.export.prometheus.descriptions", true))
                .singletons(link, condition, logs)
                .start();
        context.getBean(EmbeddedServer.class).start();
        return new MonitoringServer(context);
    }

    public MeterRegistry registry() {
        return context.getBean(MeterRegistry.class);
    }

    public int port() {
        return context.getBean(EmbeddedServer.class).getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
