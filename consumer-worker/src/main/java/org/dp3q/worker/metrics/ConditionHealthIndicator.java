package org.dp3q.worker.metrics;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dp3q.worker.health.WorkerCondition;

/** {@code /health} is DOWN while the worker is quarantined or a slot cannot consume, with the reason. */
@Singleton
@Requires(beans = ConditionLink.class)
public class ConditionHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final ConditionLink link;

    public ConditionHealthIndicator(ConditionLink link) {
        this.link = link;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        WorkerCondition condition = link.condition().get();
        healthStatus = condition.healthy() ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("quarantined", condition.quarantined());
        details.put("notConsuming", condition.notConsuming());
        if (condition.reason() != null) {
            details.put("reason", condition.reason());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "consuming";
    }
}
