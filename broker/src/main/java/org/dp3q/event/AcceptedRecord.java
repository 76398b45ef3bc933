package org.dp3q.event;

import com.rabbitmq.client.AMQP;
import java.util.List;
import java.util.Map;

/**
 * A record of {@code dp3q.events} that is not an event: {@code submit} appends it once the broker confirmed the
 * tasks it names. A task recorded {@code submitted} that no such record (and no worker event) follows was never
 * confirmed, e.g. when submit exited 3: it is not live, and the same submit run again publishes it.
 */
public record AcceptedRecord(String schema, String batch, List<String> taskIds) {
    public static final String SCHEMA = "dp3q.accepted/1";
    public static final String TYPE = "dp3q.accepted";

    public static AcceptedRecord of(String batch, List<String> taskIds) {
        return new AcceptedRecord(SCHEMA, batch, List.copyOf(taskIds));
    }

    public AMQP.BasicProperties properties() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).type(TYPE)
                .headers(Map.of(EventPublisher.BATCH_HEADER, batch)).build();
    }
}
