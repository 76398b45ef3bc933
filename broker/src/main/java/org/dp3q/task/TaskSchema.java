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
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Validates against the JSON Schemas shipped in {@code schemas/}, packaged unchanged into the jar. A task that
 * plainly follows its schema ({@link TaskShape}) is accepted without the validator, which is set up only when a
 * message needs it: most commands and most deliveries never pay for it.
 */
public final class TaskSchema {
    public static final String TASK_RESOURCE = "/dp3q/schemas/task.schema.json";
    public static final String EVENT_RESOURCE = "/dp3q/schemas/event.schema.json";

    private static final TaskSchema TASK = new TaskSchema(TaskShape::plainlyValid, () -> Validators.TASK);
    private static final TaskSchema EVENT = new TaskSchema(node -> false, () -> Validators.EVENT);

    private final Predicate<JsonNode> plainlyValid;
    private final Supplier<Schema> validator;

    private TaskSchema(Predicate<JsonNode> plainlyValid, Supplier<Schema> validator) {
        this.plainlyValid = plainlyValid;
        this.validator = validator;
    }

    public static TaskSchema task() {
        return TASK;
    }

    public static TaskSchema event() {
        return EVENT;
    }

    /** The schema's complaints, one readable line each ({@code $.chunk: must have a minimum value of 0}); empty when valid. */
    public List<String> problems(JsonNode node) {
        return plainlyValid.test(node) ? List.of() : validatorProblems(node);
    }

    /** What the schema validator itself says, without the shortcut. */
    List<String> validatorProblems(JsonNode node) {
        return validator.get().validate(node).stream().map(Error::toString).map(TaskSchema::withoutEmptyLocation).toList();
    }

    private static String withoutEmptyLocation(String problem) {
        return problem.startsWith(": ") ? problem.substring(2) : problem;
    }

    /** Loaded with the class, on first need: a holder's initialisation runs once, and other threads wait for it. */
    private static final class Validators {
        private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        static final Schema TASK = load(TASK_RESOURCE);
        static final Schema EVENT = load(EVENT_RESOURCE);

        private static Schema load(String resource) {
            try (InputStream in = TaskSchema.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema " + resource + " is missing from the classpath");
                }
                Schema schema = REGISTRY.getSchema(in);
                // all at once, not lazily on first use: the worker's slots and submit's validation share it across threads
                schema.initializeValidators();
                return schema;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
