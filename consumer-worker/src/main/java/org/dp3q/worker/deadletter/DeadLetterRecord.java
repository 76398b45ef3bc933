package org.dp3q.worker.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import java.util.Map;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.AttemptEnding;
import org.dp3q.event.OutcomePolicy;
import org.dp3q.event.OutcomePolicy.Decision;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.task.TaskIdentity;

/**
 * Reads a dead-lettered task: who it is, which pool it came from, how often it ran, why the broker gave up. Its
 * outcome is {@link org.dp3q.event.OutcomePolicy}'s: failed, reason {@code delivery-limit}.
 */
record DeadLetterRecord(TaskIdentity identity, String pool, int attempts, int deliveries, String deathReason) {

    private static final OutcomePolicy POLICY = new OutcomePolicy(java.time.Duration.ZERO);

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
        // every delivery up to the one past the limit started a run that never reported back; earlier copies of the
        // task (given back uncounted) carry theirs
        int thisCopy = Math.max(AttemptHeaders.deliveryCount(headers), Topology.DELIVERY_LIMIT + 1);
        int attempts = AttemptHeaders.attemptsBefore(headers) + thisCopy;
        int deliveries = AttemptHeaders.lostRuns(headers) - AttemptHeaders.deliveryCount(headers) + thisCopy;
        return new DeadLetterRecord(TaskIdentity.guess(node, properties.getMessageId()), pool, attempts, deliveries,
                text(headers.get("x-first-death-reason")));
    }

    Event failedEvent(WorkerRef worker) {
        String because = deathReason == null || deathReason.equals("delivery_limit")
                ? "the broker gave up after " + deliveries + " deliveries (x-delivery-limit=" + Topology.DELIVERY_LIMIT
                        + "): no run of it ever reported back, e.g. it kills its worker every time"
                : "the broker dead-lettered it (" + deathReason + ")";
        Decision decision = POLICY.decide(new OutcomePolicy.Attempt(AttemptEnding.DELIVERY_LIMIT, 0, attempts, attempts, true));
        return Event.of(decision.event(), identity).pool(pool).attempt(attempts).worker(worker)
                .reason(decision.reason()).message(because).build();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
