package org.dp3q.worker.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    @TempDir
    Path root;

    private Path log(String name, int daysOld) throws Exception {
        Path file = Files.createDirectories(root.resolve("b")).resolve(name);
        Files.writeString(file, "output");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofDays(daysOld))));
        return file;
    }

    private int sweep() throws Exception {
        return new LogRetention(root, Duration.ofDays(14), Clock.fixed(NOW, ZoneOffset.UTC)).sweep();
    }

    @Test
    void logs_older_than_the_retention_go_and_younger_ones_stay() throws Exception {
        Path old = log("b_1.attempt1.20261101T000000.log", 15);
        Path young = log("b_2.attempt1.20261125T000000.log", 6);
        Path notALog = log("notes.txt", 40);
        assertEquals(1, sweep());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(young));
        assertTrue(Files.exists(notALog));
    }

    @Test
    void the_log_of_a_task_held_failed_stays_until_a_later_attempt_is_logged_or_it_expires() throws Exception {
        Path held = log("b_1.attempt1.20261101T000000.log", 20);
        HeldLogs.hold(held);
        Path expired = log("b_2.attempt1.20260801T000000.log", 14 * LogRetention.HELD_FACTOR + 1);
        HeldLogs.hold(expired);
        assertEquals(1, sweep());
        assertTrue(Files.exists(held));
        assertFalse(Files.exists(expired));
        assertFalse(Files.exists(HeldLogs.marker(expired)));

        log("b_1.attempt1.20261130T000000.log", 1);
        assertEquals(1, sweep(), "replayed: the later attempt's log is beside it");
        assertFalse(Files.exists(held));
        assertFalse(Files.exists(HeldLogs.marker(held)));
    }

    @Test
    void the_workers_own_state_is_never_touched() throws Exception {
        Path state = Files.createDirectories(root.resolve(".dp3q")).resolve("x.log");
        Files.writeString(state, "x");
        Files.setLastModifiedTime(state, FileTime.from(NOW.minus(Duration.ofDays(100))));
        assertEquals(0, sweep());
        assertTrue(Files.exists(state));
    }
}
