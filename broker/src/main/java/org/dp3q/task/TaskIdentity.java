package org.dp3q.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who a task message claims to be, read as far as the message allows. An invalid message still names its
 * batch and chunk when it can, so {@code dp3q wait} counts it as failed instead of waiting for it forever.
 */
public record TaskIdentity(String taskId, String batch, Integer chunk, Integer chunks) {
    public static final String UNKNOWN_BATCH = "unknown";

    public static TaskIdentity of(Task task) {
        return new TaskIdentity(task.taskId(), task.batch(), task.chunk(), task.chunks());
    }

    /** Best effort from a message that may be anything; {@code messageId} is the AMQP message id, if any. */
    public static TaskIdentity guess(JsonNode node, String messageId) {
        String batch = node != null && node.path("batch").isTextual() ? node.get("batch").asText() : null;
        Integer chunk = node != null && node.path("chunk").canConvertToInt() && node.path("chunk").isIntegralNumber()
                ? node.get("chunk").asInt() : null;
        Integer chunks = node != null && node.path("chunks").isIntegralNumber() ? node.get("chunks").asInt() : null;
        String id = node != null && node.path("id").isTextual() ? node.get("id").asText() : messageId;
        if (id == null && batch != null && chunk != null) {
            id = Task.defaultId(batch, chunk);
        }
        return new TaskIdentity(id != null ? id : "unidentified", batch != null ? batch : UNKNOWN_BATCH, chunk, chunks);
    }
}
