package org.dp3q.batch;

import com.rabbitmq.client.AMQP;
import java.util.Map;
import java.util.Optional;
import org.dp3q.event.EventPublisher;

/**
 * One record of the batch index {@code dp3q.batches}: batch {@code batch} begins at or after offset
 * {@code eventsOffset} of {@code dp3q.events} (a lower bound; absent when a worker wrote it, since workers may not
 * read events). {@code by} says who wrote it: {@code submit}, {@code worker} or {@code reader}.
 */
public record IndexRecord(String schema, String batch, Long eventsOffset, String by) {
    public static final String SCHEMA = "dp3q.batch/1";
    public static final String TYPE = "dp3q.batch-opened";
    public static final String BY_SUBMIT = "submit";
    public static final String BY_WORKER = "worker";
    public static final String BY_READER = "reader";
    /** Header {@code dp3q submit} sets on the tasks it publishes: their batch is in the index, workers need not add it. */
    public static final String INDEXED_HEADER = "dp3q-indexed";
    /**
     * Header holding {@code eventsOffset}, when there is one: a look-up learns it from every record of other batches
     * without decoding their bodies. Records without it (older ones, other writers) are decoded.
     */
    public static final String EVENTS_OFFSET_HEADER = "dp3q-events-offset";

    public static IndexRecord of(String batch, Long eventsOffset, String by) {
        return new IndexRecord(SCHEMA, batch, eventsOffset, by);
    }

    /**
     * Where this record says its batch begins: exactly at {@code eventsOffset}; a worker's record, without one, says
     * nothing by itself (the index resolves it against the records before it).
     */
    public Optional<BatchStart> start() {
        return eventsOffset == null ? Optional.empty() : Optional.of(new BatchStart(eventsOffset, true));
    }

    public AMQP.BasicProperties properties() {
        Map<String, Object> headers = eventsOffset == null ? Map.of(EventPublisher.BATCH_HEADER, batch)
                : Map.of(EventPublisher.BATCH_HEADER, batch, EVENTS_OFFSET_HEADER, eventsOffset);
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).type(TYPE)
                .messageId("opened:" + batch).headers(headers).build();
    }
}
