package org.dp3q.broker.connect;

import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedEntity;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import org.dp3q.broker.topology.Topology;

/**
 * What the client's automatic recovery re-declares after a reconnect. Durable objects were declared on
 * short-lived channels and outlive a broker restart: recovering them through their closed channel only
 * fails noisily, so only entities whose channel is still open are recovered. Consumers of the event stream
 * are left to {@code EventStreamReader}, which resumes from the last offset it saw instead of the start.
 */
public final class LiveTopologyFilter implements TopologyRecoveryFilter {
    @Override
    public boolean filterExchange(RecordedExchange exchange) {
        return live(exchange);
    }

    @Override
    public boolean filterQueue(RecordedQueue queue) {
        return live(queue);
    }

    @Override
    public boolean filterBinding(RecordedBinding binding) {
        return live(binding);
    }

    @Override
    public boolean filterConsumer(RecordedConsumer consumer) {
        return live(consumer) && !Topology.EVENTS_STREAM.equals(consumer.getQueue());
    }

    private static boolean live(RecordedEntity entity) {
        return entity.getChannel() != null && entity.getChannel().isOpen();
    }
}
