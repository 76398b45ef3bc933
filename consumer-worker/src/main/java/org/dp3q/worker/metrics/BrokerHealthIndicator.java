package org.dp3q.worker.metrics;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.Map;

/** {@code /health} is DOWN while the worker has lost its broker; its tasks go back to the queue meanwhile. */
@Singleton
@Requires(beans = BrokerLink.class)
public class BrokerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final BrokerLink link;

    public BrokerHealthIndicator(BrokerLink link) {
        this.link = link;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean open = link.open().getAsBoolean();
        healthStatus = open ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("broker", link.maskedUri(), "connected", open);
    }

    @Override
    protected String getName() {
        return "broker";
    }
}
