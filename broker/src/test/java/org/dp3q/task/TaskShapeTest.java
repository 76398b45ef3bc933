package org.dp3q.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dp3q.codec.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shortcut past the schema validator says yes only where the validator does, and does say yes to real tasks. */
class TaskShapeTest {
    private static final TaskSchema SCHEMA = TaskSchema.task();

    /** Field values publishers send: a task made of these alone must be known valid without the validator. */
    private static final Map<String, List<String>> PLAIN = new LinkedHashMap<>();
    /** Values at and past the schema's edges, valid or not: the shortcut may pass them on, but never wrongly accept one. */
    private static final List<String> EDGES = List.of(
            "\"\"", "\"a\"", "\"a\\n\"", "\"\\n\"", "\"a\\u0000b\"", "\"\\u00fcn\\u00ef\"", "\"\\ud83d\\ude00\"",
            "\"" + "x".repeat(64) + "\"", "\"" + "x".repeat(65) + "\"", "\"" + "x".repeat(128) + "\"",
            "\"" + "x".repeat(129) + "\"", "\"" + "x".repeat(200) + "\"", "\"" + "x".repeat(201) + "\"",
            "\"/abs\"", "\"rel\"", "\"a b\"", "\"A_1\"", "\"1A\"", "\"_x\"", "\"a/b\"", "\"a:b\"", "\"a+b\"", "\"a.b-c\"",
            "\"/\"", "\"/\\n\"", "\"DP3\"", "\"dp3q.task/1\"", "\"dp3q.task/2\"",
            "0", "1", "-1", "1.0", "0.5", "-0", "2147483648", "9223372036854775808", "-9223372036854775809", "1e3", "\"1\"",
            "true", "false", "null", "[]", "{}", "[\"a\"]", "[\"\"]", "[\"a\\u0000\"]", "[1]", "[null]",
            "{\"A\":\"b\"}", "{\"1A\":\"b\"}", "{\"A\":1}", "{\"A\":\"b\\u0000\"}", "{\"\":\"b\"}", "{\"_\":\"\"}",
            "\"2026-12-04T19:00:00Z\"", "\"2026-12-04T19:00:00.123456789Z\"", "\"2026-12-04T19:00:00.1234567891Z\"",
            "\"2026-12-04t19:00:00z\"", "\"2026-02-30T00:00:00Z\"", "\"2026-02-29T00:00:00Z\"", "\"2024-02-29T00:00:00Z\"",
            "\"2026-12-04T24:00:00Z\"", "\"2026-12-04T23:59:60Z\"", "\"2026-12-04T19:00:00+01:00\"",
            "\"2026-12-04T19:00:00+24:00\"", "\"2026-12-04T19:00:00-00:00\"", "\"2026-12-04 19:00:00Z\"",
            "\"2026-12-04T19:00:00\"", "\"0000-01-01T00:00:00Z\"", "\"20261204T190000Z\"", "\"2026-12-04T19:00:00.Z\"",
            "\"2026-13-04T19:00:00Z\"", "\"2026-12-04T19:00:00+0100\"");
    private static final List<String> EXTRA_FIELDS = List.of("x-note", "x-", "X-note", "xnote", "priority", "x-\u00fc", "Batch");

    static {
        PLAIN.put("schema", List.of("\"dp3q.task/1\""));
        PLAIN.put("id", List.of("\"cal/0\"", "\"obs:12.a-b_c/3\""));
        PLAIN.put("batch", List.of("\"cal\"", "\"cal-phase.2:x_y\""));
        PLAIN.put("chunk", List.of("0", "7", "4000000000"));
        PLAIN.put("chunks", List.of("1", "40"));
        PLAIN.put("pool", List.of("\"default\"", "\"gpu.a-1_b\""));
        PLAIN.put("tool", List.of("\"DP3\"", "\"wsclean\"", "\"c++.x-1_b\""));
        PLAIN.put("args", List.of("[]", "[\"msin=/data/obs.ms\",\"steps=[solve]\",\"msin.ntimes=75\"]", "[\"a b\\n\\u00fc\"]"));
        PLAIN.put("workdir", List.of("\"/\"", "\"/work/run 1\""));
        PLAIN.put("env", List.of("{}", "{\"OMP_NUM_THREADS\":\"4\",\"_x\":\"\"}"));
        PLAIN.put("timeout_s", List.of("1", "3600"));
        PLAIN.put("expected_s", List.of("1", "600"));
        PLAIN.put("max_attempts", List.of("1", "3"));
        PLAIN.put("outputs", List.of("[]", "[\"/work/out_0.h5parm\"]"));
        PLAIN.put("skip_if_outputs_exist", List.of("true", "false"));
        PLAIN.put("labels", List.of("{}", "{\"step\":\"solve\",\"\":\"\"}"));
        PLAIN.put("submitted_at", List.of("\"2026-12-04T19:05:01.123456Z\"", "\"2026-12-04T19:05:01Z\"",
                "\"2026-12-04T20:05:01.5+01:00\"", "\"2024-02-29T23:59:59.999999999-11:30\""));
        PLAIN.put("x-origin", List.of("\"anything\"", "null", "{\"a\":[1,2]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.dp3q.task.TaskCodecTest#validExamples")
    void every_valid_example_passes_and_the_validator_agrees(Path example) throws Exception {
        JsonNode task = Json.MAPPER.readTree(Files.readAllBytes(example));

        assertEquals(List.of(), SCHEMA.problems(task));
        assertEquals(List.of(), SCHEMA.validatorProblems(task));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"valid-minimal.json", "valid-full.json"})
    void the_examples_as_publishers_write_them_are_known_valid_without_the_validator(String example) throws Exception {
        JsonNode task = Json.MAPPER.readTree(Files.readAllBytes(TaskCodecTest.EXAMPLES.resolve(example)));

        assertTrue(TaskShape.plainlyValid(task), example + " took the validator");
    }

    @Test
    void a_chunk_written_as_a_decimal_is_left_to_the_validator_which_accepts_it() throws Exception {
        JsonNode task = Json.MAPPER.readTree(Files.readAllBytes(TaskCodecTest.EXAMPLES.resolve("valid-extension-field.json")));

        assertFalse(TaskShape.plainlyValid(task));
        assertEquals(List.of(), SCHEMA.problems(task));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.dp3q.task.TaskCodecTest#invalidExamples")
    void every_invalid_example_goes_to_the_validator_which_words_its_problem(Path example) throws Exception {
        JsonNode task = Json.MAPPER.readTree(Files.readAllBytes(example));

        assertFalse(TaskShape.plainlyValid(task), example + " was accepted without the validator");
        assertFalse(SCHEMA.problems(task).isEmpty(), example + " passed");
    }

    @Test
    void a_task_of_plain_values_is_known_valid_and_the_validator_agrees() throws Exception {
        Random random = new Random(20261204);
        for (int i = 0; i < 2_000; i++) {
            JsonNode task = Json.MAPPER.readTree(task(random, 0.0));

            assertTrue(TaskShape.plainlyValid(task), () -> "took the validator: " + task);
            assertEquals(List.of(), SCHEMA.validatorProblems(task), task::toString);
        }
    }

    @Test
    void a_task_it_accepts_is_one_the_validator_accepts_across_thousands_of_edge_values() throws Exception {
        Random random = new Random(4);
        int acceptedByShape = 0;
        int acceptedByValidatorOnly = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            JsonNode task = Json.MAPPER.readTree(task(random, 0.15));
            boolean valid = SCHEMA.validatorProblems(task).isEmpty();
            if (TaskShape.plainlyValid(task)) {
                assertTrue(valid, () -> "accepted without the validator, which rejects it: " + task + ": "
                        + SCHEMA.validatorProblems(task));
                acceptedByShape++;
            } else if (valid) {
                acceptedByValidatorOnly++;
            } else {
                rejected++;
            }
        }
        // the mix must test both sides: many accepted by the shortcut, many rejected, some left to the validator
        assertTrue(acceptedByShape > 1_000, "accepted by the shortcut: " + acceptedByShape);
        assertTrue(rejected > 5_000, "rejected: " + rejected);
        assertTrue(acceptedByValidatorOnly > 100, "valid but left to the validator: " + acceptedByValidatorOnly);
    }

    @Test
    void the_dates_publishers_write_are_plain_and_rarer_forms_are_left_to_the_validator() {
        assertTrue(TaskShape.plainDateTime(java.time.Instant.now().toString()));
        assertTrue(TaskShape.plainDateTime("2026-12-04T19:05:01+01:00"));
        assertFalse(TaskShape.plainDateTime("2026-12-04t19:05:01z"));
        assertFalse(TaskShape.plainDateTime("2026-02-30T00:00:00Z"));
        assertFalse(TaskShape.plainDateTime("2026-12-04T19:05:01"));
    }

    /** A task as JSON text: each field plain, or with probability {@code edgy} an edge value, left out, or added. */
    private static String task(Random random, double edgy) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, List<String>> field : PLAIN.entrySet()) {
            boolean required = List.of("schema", "batch", "chunk", "args").contains(field.getKey());
            double roll = random.nextDouble();
            if (roll < edgy) {
                fields.add(Json.line(Json.MAPPER.getNodeFactory().textNode(field.getKey())) + ":" + pick(random, EDGES));
            } else if (roll < edgy * 1.3 || (!required && random.nextDouble() < 0.3)) {
                continue;
            } else {
                fields.add(Json.line(Json.MAPPER.getNodeFactory().textNode(field.getKey())) + ":" + pick(random, field.getValue()));
            }
        }
        if (random.nextDouble() < edgy) {
            fields.add(Json.line(Json.MAPPER.getNodeFactory().textNode(pick(random, EXTRA_FIELDS))) + ":" + pick(random, EDGES));
        }
        java.util.Collections.shuffle(fields, random);
        return "{" + String.join(",", fields) + "}";
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
