package org.dp3q.broker.connect;

import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedEntity;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import org.dp3q.broker.stream.StreamReader;

/**
 * What the client's automatic recovery re-declares after a reconnect. Durable objects were declared on
 * short-lived channels and outlive a broker restart: recovering them through their closed channel only
 * fails noisily, so only entities whose channel is still open are recovered. Stream readers subscribe
 * again by themselves (see {@link StreamReader}).
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
        return live(consumer) && !consumer.getConsumerTag().startsWith(StreamReader.CONSUMER_TAG_PREFIX);
    }

    private static boolean live(RecordedEntity entity) {
        return entity.getChannel() != null && entity.getChannel().isOpen();
    }
}
