package org.dp3q.task;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskCodecTest {
    /** The examples users read, next to the schemas; tests run with the module directory as working directory. */
    static final Path EXAMPLES = Path.of("../schemas/examples/task");

    private final TaskCodec codec = new TaskCodec();

    static Stream<Path> validExamples() throws IOException {
        return examples("valid-");
    }

    static Stream<Path> invalidExamples() throws IOException {
        return examples("invalid-");
    }

    private static Stream<Path> examples(String prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no " + prefix + "*.json examples in " + EXAMPLES.toAbsolutePath());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void every_valid_example_decodes(Path example) throws Exception {
        Task task = codec.decode(Files.readAllBytes(example), null);

        assertEquals(Task.SCHEMA, task.schema());
        assertFalse(task.batch().isEmpty());
        assertFalse(task.args().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void every_invalid_example_is_rejected(Path example) {
        assertThrows(InvalidTaskException.class, () -> codec.decode(Files.readAllBytes(example), null));
    }

    static Stream<Arguments> invalidExampleProblems() {
        return Stream.of(
                Arguments.of("invalid-env-name.json", "NOT A NAME"),
                Arguments.of("invalid-missing-batch.json", "batch"),
                Arguments.of("invalid-negative-chunk.json", "chunk"),
                Arguments.of("invalid-relative-workdir.json", "workdir"),
                Arguments.of("invalid-schema-version.json", "dp3q.task/2"),
                Arguments.of("invalid-tool-is-a-path.json", "tool"),
                Arguments.of("invalid-unknown-field.json", "priority"));
    }

    @ParameterizedTest(name = "{0} names {1}")
    @MethodSource("invalidExampleProblems")
    void the_rejection_names_the_problem(String file, String named) {
        InvalidTaskException e = assertThrows(InvalidTaskException.class,
                () -> codec.decode(Files.readAllBytes(EXAMPLES.resolve(file)), null));

        assertTrue(e.getMessage().contains(named), () -> "message should name '" + named + "': " + e.getMessage());
    }

    @Test
    void the_full_example_keeps_every_field() throws Exception {
        Task task = codec.decode(Files.readAllBytes(EXAMPLES.resolve("valid-full.json")), null);

        assertAll(
                () -> assertEquals("cal-phase/4", task.taskId()),
                () -> assertEquals("cal-phase", task.batch()),
                () -> assertEquals(4, task.chunk()),
                () -> assertEquals(10, task.chunks()),
                () -> assertEquals("DP3", task.toolOrDefault()),
                () -> assertEquals("msin.starttimeslot=300", task.args().get(2)),
                () -> assertEquals("/work", task.workdir()),
                () -> assertEquals(Map.of("DP3_NUM_THREADS", "16", "OMP_NUM_THREADS", "16"), task.env()),
                () -> assertEquals(3600, task.timeoutS()),
                () -> assertEquals(2, task.maxAttemptsOrDefault()),
                () -> assertTrue(task.skipsWhenOutputsExist()),
                () -> assertEquals(Map.of("step", "phase-1"), task.labels()),
                () -> assertEquals("2026-11-26T06:00:00Z", task.submittedAt()));
    }

    @Test
    void the_minimal_example_gets_the_documented_defaults() throws Exception {
        Task task = codec.decode(Files.readAllBytes(EXAMPLES.resolve("valid-minimal.json")), null);

        assertAll(
                () -> assertEquals("cal-phase/0", task.taskId()),
                () -> assertEquals("default", task.poolOrDefault()),
                () -> assertEquals("DP3", task.toolOrDefault()),
                () -> assertEquals(1, task.maxAttemptsOrDefault()),
                () -> assertEquals(Map.of(), task.envOrEmpty()),
                () -> assertFalse(task.skipsWhenOutputsExist()),
                () -> assertNull(task.timeoutS()));
    }

    @Test
    void an_empty_body_is_rejected() {
        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> codec.decode(new byte[0], "m-1"));

        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertEquals("m-1", e.identity().taskId());
        assertEquals(TaskIdentity.UNKNOWN_BATCH, e.identity().batch());
    }

    @Test
    void a_missing_body_is_rejected() {
        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> codec.decode((byte[]) null, null));

        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void a_body_that_is_not_json_is_rejected() {
        InvalidTaskException e = assertThrows(InvalidTaskException.class,
                () -> codec.decode(utf8("msin=obs.ms steps=[solve]"), null));

        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void garbage_bytes_are_rejected() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b, (byte) 0xc3};

        assertThrows(InvalidTaskException.class, () -> codec.decode(garbage, null));
    }

    @Test
    void json_that_is_not_an_object_is_rejected() {
        InvalidTaskException e = assertThrows(InvalidTaskException.class,
                () -> codec.decode(utf8("[\"msin=obs.ms\"]"), null));

        assertTrue(e.getMessage().contains("not an object"), e.getMessage());
    }

    @Test
    void an_oversize_body_is_rejected_before_parsing() {
        TaskCodec small = new TaskCodec(64);
        byte[] body = utf8("{\"schema\":\"dp3q.task/1\",\"batch\":\"b\",\"chunk\":0,\"args\":[\"" + "x".repeat(100) + "\"]}");

        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> small.decode(body, null));

        assertTrue(e.getMessage().contains(body.length + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("limit of 64"), e.getMessage());
    }

    @Test
    void a_body_exactly_at_the_limit_is_accepted() throws Exception {
        byte[] body = utf8("{\"schema\":\"dp3q.task/1\",\"batch\":\"b\",\"chunk\":0,\"args\":[]}");

        Task task = new TaskCodec(body.length).decode(body, null);

        assertEquals("b/0", task.taskId());
    }

    @Test
    void an_unknown_schema_version_names_both_versions() {
        InvalidTaskException e = assertThrows(InvalidTaskException.class,
                () -> codec.decode(utf8("{\"schema\":\"dp3q.task/9\",\"batch\":\"b\",\"chunk\":0,\"args\":[]}"), null));

        assertTrue(e.getMessage().contains("dp3q.task/9"), e.getMessage());
        assertTrue(e.getMessage().contains("dp3q.task/1"), e.getMessage());
    }

    @Test
    void a_missing_schema_field_is_rejected() {
        InvalidTaskException e = assertThrows(InvalidTaskException.class,
                () -> codec.decode(utf8("{\"batch\":\"b\",\"chunk\":0,\"args\":[]}"), null));

        assertTrue(e.getMessage().contains("(none)"), e.getMessage());
    }

    @Test
    void a_nul_character_in_an_argument_is_rejected() {
        String body = "{\"schema\":\"dp3q.task/1\",\"batch\":\"b\",\"chunk\":0,\"args\":[\"msin=obs.ms\",\"a\\u0000b\"]}";

        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> codec.decode(utf8(body), null));

        assertTrue(e.getMessage().contains("args"), e.getMessage());
    }

    @Test
    void a_nul_character_in_an_env_value_is_rejected() {
        String body = "{\"schema\":\"dp3q.task/1\",\"batch\":\"b\",\"chunk\":0,\"args\":[],\"env\":{\"A\":\"x\\u0000\"}}";

        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> codec.decode(utf8(body), null));

        assertTrue(e.getMessage().contains("env"), e.getMessage());
    }

    @Test
    void extension_fields_are_allowed_and_ignored() throws Exception {
        String body = "{\"schema\":\"dp3q.task/1\",\"batch\":\"b\",\"chunk\":1,\"args\":[],\"x-owner\":{\"name\":\"pipeline\"}}";

        assertEquals("b/1", codec.decode(utf8(body), null).taskId());
    }

    @Test
    void an_invalid_message_keeps_the_batch_and_chunk_it_names() {
        String body = "{\"schema\":\"dp3q.task/1\",\"batch\":\"cal\",\"chunk\":7,\"chunks\":12,\"args\":[],\"priority\":5}";

        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> codec.decode(utf8(body), "ignored"));

        assertEquals(new TaskIdentity("ignored", "cal", 7, 12), e.identity());
    }

    @Test
    void an_invalid_message_without_id_or_message_id_is_named_batch_slash_chunk() {
        String body = "{\"schema\":\"dp3q.task/2\",\"batch\":\"cal\",\"chunk\":7,\"args\":[]}";

        InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> codec.decode(utf8(body), null));

        assertEquals(new TaskIdentity("cal/7", "cal", 7, null), e.identity());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
