package org.dp3q.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Validates against the JSON Schemas shipped in {@code schemas/}, packaged unchanged into the jar. */
public final class TaskSchema {
    public static final String TASK_RESOURCE = "/dp3q/schemas/task.schema.json";
    public static final String EVENT_RESOURCE = "/dp3q/schemas/event.schema.json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Schema schema;

    private TaskSchema(String resource) {
        try (InputStream in = TaskSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is missing from the classpath");
            }
            this.schema = REGISTRY.getSchema(in);
            // all at once, not lazily on first use: the worker's slots and submit's validation share it across threads
            schema.initializeValidators();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TaskSchema task() {
        return Holder.TASK;
    }

    public static TaskSchema event() {
        return Holder.EVENT;
    }

    /** The schema's complaints, one readable line each ({@code $.chunk: must have a minimum value of 0}); empty when valid. */
    public List<String> problems(JsonNode node) {
        return schema.validate(node).stream().map(Error::toString).map(TaskSchema::withoutEmptyLocation).toList();
    }

    private static String withoutEmptyLocation(String problem) {
        return problem.startsWith(": ") ? problem.substring(2) : problem;
    }

    private static final class Holder {
        static final TaskSchema TASK = new TaskSchema(TASK_RESOURCE);
        static final TaskSchema EVENT = new TaskSchema(EVENT_RESOURCE);
    }
}
