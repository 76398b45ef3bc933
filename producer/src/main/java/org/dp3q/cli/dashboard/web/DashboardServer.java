package org.dp3q.cli.dashboard.web;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.dp3q.cli.dashboard.data.DashboardData;

/** Micronaut's HTTP server with the dashboard's pages, data and actions; started only by {@code dp3q dashboard}. */
public final class DashboardServer implements AutoCloseable {
    private final ApplicationContext context;

    private DashboardServer(ApplicationContext context) {
        this.context = context;
    }

    public static DashboardServer start(String bind, int port, DashboardAccess access, DashboardData data,
                                        DashboardActions actions, String maskedBroker) {
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(Map.of(
                        "micronaut.server.port", port,
                        "micronaut.server.host", bind,
                        "micronaut.server.netty.worker.threads", 2,
                        "micronaut.server.thread-selection", "IO"))
                .singletons(access, data, actions, new ApiController.BrokerName(maskedBroker))
                .start();
        context.getBean(EmbeddedServer.class).start();
        return new DashboardServer(context);
    }

    public int port() {
        return context.getBean(EmbeddedServer.class).getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
