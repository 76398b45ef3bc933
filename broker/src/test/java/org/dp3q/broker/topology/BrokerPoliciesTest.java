package org.dp3q.broker.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab policies (broker/policies.json) say exactly what the queue arguments of {@link Topology} say, for exactly
 * the queues Topology declares, so a policy never quietly changes a delivery limit, a dead-letter target or the
 * event retention.
 */
class BrokerPoliciesTest {
    private static final Map<String, JsonNode> POLICIES = new HashMap<>();

    @BeforeAll
    static void read() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Path.of("policies.json").toFile());
        root.get("policies").forEach(policy -> POLICIES.put(policy.get("name").asText(), policy));
    }

    @Test
    void the_task_queue_policy_has_the_task_queue_arguments() {
        JsonNode definition = POLICIES.get("dp3q-task-queues").get("definition");
        Map<String, Object> fromPolicy = new HashMap<>();
        definition.fields().forEachRemaining(e -> fromPolicy.put("x-" + e.getKey(),
                e.getValue().isNumber() ? (Object) e.getValue().asInt() : e.getValue().asText()));
        Map<String, Object> arguments = new HashMap<>(Topology.taskQueueArguments());
        arguments.remove("x-queue-type");

        assertEquals(arguments, fromPolicy);
    }

    @Test
    void the_task_queue_policy_matches_every_pool_queue_and_nothing_else() {
        Pattern pattern = pattern("dp3q-task-queues");

        for (String pool : List.of("default", "highmem", "gpu.v100_2-a")) {
            assertTrue(pattern.matcher(Topology.taskQueue(pool)).find(), pool);
        }
        for (String other : List.of(Topology.FAILED_QUEUE, Topology.DEAD_LETTER_QUEUE, Topology.EVENTS_STREAM,
                Topology.TASKS_EXCHANGE, "dp3q.tasks.")) {
            assertFalse(pattern.matcher(other).find(), other);
        }
    }

    @Test
    void each_stream_policy_keeps_records_as_long_as_the_stream_argument_says() {
        assertStreamPolicy("dp3q-events", Topology.EVENTS_STREAM, Topology.EVENTS_MAX_AGE);
        assertStreamPolicy("dp3q-batches", Topology.BATCHES_STREAM, Topology.EVENTS_MAX_AGE);
        assertStreamPolicy("dp3q-workers", Topology.WORKERS_STREAM, Topology.WORKERS_MAX_AGE);
        assertStreamPolicy("dp3q-control-log", Topology.CONTROL_LOG_STREAM, Topology.EVENTS_MAX_AGE);
        assertStreamPolicy("dp3q-claims", Topology.CLAIMS_STREAM, Topology.CLAIMS_MAX_AGE);
    }

    @Test
    void every_policy_applies_to_queues_only() {
        assertEquals(6, POLICIES.size());
        POLICIES.values().forEach(policy -> assertEquals("queues", policy.get("apply-to").asText()));
    }

    private static void assertStreamPolicy(String policy, String stream, String maxAge) {
        JsonNode definition = POLICIES.get(policy).get("definition");
        assertEquals(maxAge, definition.get("max-age").asText(), policy);
        // besides its age, a stream may have a size bound that only the lab policy sets (no queue argument)
        definition.fieldNames().forEachRemaining(name -> assertTrue(Set.of("max-age", "max-length-bytes").contains(name), policy + ": " + name));
        Pattern pattern = pattern(policy);
        assertTrue(pattern.matcher(stream).find(), policy);
        for (String other : List.of(Topology.EVENTS_STREAM, Topology.WORKERS_STREAM, Topology.CONTROL_LOG_STREAM,
                Topology.BATCHES_STREAM, Topology.BATCHES_EXCHANGE, Topology.CLAIMS_STREAM, Topology.CLAIMS_EXCHANGE,
                Topology.EVENTS_EXCHANGE, Topology.WORKERS_EXCHANGE, Topology.CONTROL_EXCHANGE, Topology.taskQueue("events"))) {
            if (!other.equals(stream)) {
                assertFalse(pattern.matcher(other).find(), policy + " matches " + other);
            }
        }
    }

    private static Pattern pattern(String policy) {
        return Pattern.compile(POLICIES.get(policy).get("pattern").asText());
    }
}
