package org.dp3q.failed;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.dp3q.event.Event;
import org.dp3q.task.AttemptHeaders;

/** A failed task as it sits in {@code dp3q.failed}: the original body plus why, where and when it failed. */
public record FailedRecord(
        String taskId,
        String batch,
        Integer chunk,
        String pool,
        String reason,
        String message,
        Integer exitCode,
        Integer signal,
        Integer attempt,
        Integer deliveries,
        Integer drains,
        String workerHost,
        String log,
        String stderrTail,
        String failedAt,
        String body) {

    /**
     * The properties to publish a failed record with: persistent, message id kept, failure headers added. The
     * deliveries are this one plus those of the task that ended without an outcome.
     */
    public static AMQP.BasicProperties properties(AMQP.BasicProperties original, Event failure, String pool) {
        Map<String, Object> originalHeaders = original == null ? null : original.getHeaders();
        return properties(original, failure, pool, AttemptHeaders.lostRuns(originalHeaders) + 1);
    }

    /** As {@link #properties(AMQP.BasicProperties, Event, String)}, with the count of deliveries known otherwise. */
    public static AMQP.BasicProperties properties(AMQP.BasicProperties original, Event failure, String pool, int deliveries) {
        Map<String, Object> headers = new HashMap<>();
        if (original != null && original.getHeaders() != null) {
            headers.putAll(original.getHeaders());
        }
        put(headers, FailureHeaders.TASK_ID, failure.taskId());
        put(headers, FailureHeaders.BATCH, failure.batch());
        put(headers, FailureHeaders.CHUNK, failure.chunk());
        put(headers, FailureHeaders.POOL, pool);
        put(headers, FailureHeaders.REASON, failure.reason() == null ? null : failure.reason().wire());
        put(headers, FailureHeaders.MESSAGE, failure.message());
        put(headers, FailureHeaders.EXIT_CODE, failure.exitCode());
        put(headers, FailureHeaders.SIGNAL, failure.signal());
        put(headers, FailureHeaders.ATTEMPT, failure.attempt());
        put(headers, FailureHeaders.DELIVERIES, deliveries);
        put(headers, FailureHeaders.DRAINS, AttemptHeaders.drains(headers));
        put(headers, FailureHeaders.WORKER_HOST, failure.worker() == null ? null : failure.worker().host());
        put(headers, FailureHeaders.LOG, failure.log());
        put(headers, FailureHeaders.STDERR_TAIL, failure.stderrTail());
        put(headers, FailureHeaders.FAILED_AT, failure.time());
        return new AMQP.BasicProperties.Builder()
                .contentType(original != null && original.getContentType() != null ? original.getContentType() : "application/json")
                .deliveryMode(2)
                .messageId(failure.taskId())
                .headers(headers)
                .build();
    }

    public static FailedRecord read(AMQP.BasicProperties properties, byte[] body) {
        Map<String, Object> h = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        return new FailedRecord(
                text(h, FailureHeaders.TASK_ID) != null ? text(h, FailureHeaders.TASK_ID) : properties.getMessageId(),
                text(h, FailureHeaders.BATCH),
                number(h, FailureHeaders.CHUNK),
                text(h, FailureHeaders.POOL),
                text(h, FailureHeaders.REASON),
                text(h, FailureHeaders.MESSAGE),
                number(h, FailureHeaders.EXIT_CODE),
                number(h, FailureHeaders.SIGNAL),
                number(h, FailureHeaders.ATTEMPT),
                number(h, FailureHeaders.DELIVERIES),
                number(h, FailureHeaders.DRAINS),
                text(h, FailureHeaders.WORKER_HOST),
                text(h, FailureHeaders.LOG),
                text(h, FailureHeaders.STDERR_TAIL),
                text(h, FailureHeaders.FAILED_AT),
                new String(body, StandardCharsets.UTF_8));
    }

    private static void put(Map<String, Object> headers, String name, Object value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    private static String text(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        return value == null ? null : value.toString();
    }

    private static Integer number(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        if (value instanceof Number n) {
            return n.intValue();
        }
        return value == null ? null : Integer.valueOf(value.toString());
    }
}
