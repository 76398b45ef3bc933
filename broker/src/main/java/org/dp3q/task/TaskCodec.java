package org.dp3q.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.dp3q.codec.Json;

/** Turns message bytes into a {@link Task}, or says in words a person understands why it cannot. */
public final class TaskCodec {
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private final int maxBytes;

    public TaskCodec(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public TaskCodec() {
        this(DEFAULT_MAX_BYTES);
    }

    public Task decode(byte[] body, String messageId) throws InvalidTaskException {
        TaskIdentity unknown = TaskIdentity.guess(null, messageId);
        if (body == null || body.length == 0) {
            throw new InvalidTaskException("the message body is empty; expected a dp3q.task/1 JSON object", unknown);
        }
        if (body.length > maxBytes) {
            throw new InvalidTaskException("the message is " + body.length + " bytes, over the limit of " + maxBytes
                    + " bytes for a task", unknown);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("the message is not JSON: " + e.getOriginalMessage(), unknown);
        } catch (IOException e) {
            throw new InvalidTaskException("the message is not readable as UTF-8 JSON: " + e.getMessage(), unknown);
        }
        return decode(node, messageId);
    }

    public Task decode(JsonNode node, String messageId) throws InvalidTaskException {
        TaskIdentity identity = TaskIdentity.guess(node, messageId);
        if (node == null || !node.isObject()) {
            throw new InvalidTaskException("the message is JSON but not an object; expected a dp3q.task/1 object", identity);
        }
        JsonNode schema = node.get("schema");
        if (schema == null || !Task.SCHEMA.equals(schema.asText())) {
            throw new InvalidTaskException("unknown message schema " + (schema == null ? "(none)" : schema)
                    + "; this worker understands " + Task.SCHEMA, identity);
        }
        List<String> problems = TaskSchema.task().problems(node);
        if (!problems.isEmpty()) {
            throw new InvalidTaskException("the task does not follow task.schema.json: " + String.join("; ", problems),
                    identity);
        }
        try {
            return Json.convert(node, Task.class);
        } catch (IllegalArgumentException e) {
            // the schema sets no upper bounds; a number past what a task can hold ends here
            throw new InvalidTaskException("the task has a value it cannot hold: " + e.getMessage().lines().findFirst().orElse(""),
                    identity);
        }
    }
}
