package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogTailTest {
    @TempDir
    Path dir;

    @Test
    void a_short_log_is_returned_whole_without_surrounding_blank_space() throws IOException {
        Path log = write("# dp3q header\nstarting\nError: cannot open sky model\n\n");

        assertEquals("# dp3q header\nstarting\nError: cannot open sky model", LogTail.of(log));
    }

    @Test
    void a_missing_log_has_an_empty_tail() {
        assertEquals("", LogTail.of(dir.resolve("never-written.log")));
    }

    @Test
    void an_empty_log_has_an_empty_tail() throws IOException {
        assertEquals("", LogTail.of(write("")));
    }

    @Test
    void a_long_log_gives_at_most_4096_bytes_of_its_last_whole_lines() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("step ").append(i).append(": solving ").append("x".repeat(i % 17)).append('\n');
        }
        text.append("Error: the last line\n");
        Path log = write(text.toString());

        String tail = LogTail.of(log);

        assertTrue(bytes(tail) <= LogTail.MAX_BYTES, bytes(tail) + " bytes");
        assertTrue(bytes(tail) > LogTail.MAX_BYTES - 100, "hardly shorter than the limit: " + bytes(tail));
        assertTrue(tail.endsWith("Error: the last line"), tail);
        assertTrue(tail.startsWith("step "), "starts at a line start: " + tail.substring(0, 20));
        assertTrue(text.toString().contains("\n" + tail), "a whole-line suffix of the log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"é", "日", "é日"})
    void multi_byte_characters_cut_by_the_limit_are_dropped_not_garbled(String character) throws IOException {
        // one long line, so the cut cannot fall back to a line break; offsets 0..3 put the cut mid-character
        for (int offset = 0; offset < 4; offset++) {
            String text = character.repeat(3000) + "z".repeat(offset);
            Path log = write(text);

            String tail = LogTail.of(log);

            assertTrue(bytes(tail) <= LogTail.MAX_BYTES, bytes(tail) + " bytes");
            assertFalse(tail.contains("\uFFFD"), "replacement character at offset " + offset);
            assertTrue(text.endsWith(tail), "a suffix of the log at offset " + offset);
            assertTrue(bytes(tail) > LogTail.MAX_BYTES - 4, bytes(tail) + " bytes");
        }
    }

    @Test
    void multi_byte_lines_are_cut_at_a_line_start() throws IOException {
        String line = "Fehler: Datei ungültig – 観測データ 🛰\n";
        Path log = write(line.repeat(200));

        String tail = LogTail.of(log);

        assertTrue(bytes(tail) <= LogTail.MAX_BYTES);
        assertTrue(tail.startsWith("Fehler"), tail.substring(0, 10));
        assertFalse(tail.contains("\uFFFD"));
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("attempt.log"), text, StandardCharsets.UTF_8);
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
