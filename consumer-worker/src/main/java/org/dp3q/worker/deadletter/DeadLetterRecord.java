package org.dp3q.worker.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import java.util.Map;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.task.TaskIdentity;

/** Reads a dead-lettered task: who it is, which pool it came from, how often it ran, why the broker gave up. */
record DeadLetterRecord(TaskIdentity identity, String pool, int attempts, String deathReason) {

    static DeadLetterRecord read(AMQP.BasicProperties properties, byte[] body) {
        JsonNode node = null;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            // the body is kept untouched in the failed queue; the identity stays a guess
        }
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        String queue = text(headers.get("x-first-death-queue"));
        String pool = queue != null && queue.startsWith(Topology.TASK_QUEUE_PREFIX)
                ? queue.substring(Topology.TASK_QUEUE_PREFIX.length())
                : node != null && node.path("pool").isTextual() ? node.get("pool").asText() : Topology.DEFAULT_POOL;
        // every delivery up to the one past the limit started a run that never reported back
        int deliveries = Math.max(AttemptHeaders.deliveryCount(headers), Topology.DELIVERY_LIMIT + 1);
        int attempts = AttemptHeaders.attemptsBefore(headers) + deliveries;
        return new DeadLetterRecord(TaskIdentity.guess(node, properties.getMessageId()), pool, attempts,
                text(headers.get("x-first-death-reason")));
    }

    Event failedEvent(WorkerRef worker) {
        String because = deathReason == null || deathReason.equals("delivery_limit")
                ? "the broker gave up after " + attempts + " deliveries (x-delivery-limit=" + Topology.DELIVERY_LIMIT
                        + "): no run of it ever reported back, e.g. it kills its worker every time"
                : "the broker dead-lettered it (" + deathReason + ")";
        return Event.of(EventType.FAILED, identity).pool(pool).attempt(attempts).worker(worker)
                .reason(Reason.DELIVERY_LIMIT).message(because).build();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
