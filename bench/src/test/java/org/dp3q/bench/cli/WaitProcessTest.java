package org.dp3q.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitProcessTest {
    @Test
    void readsTheChildrensUserAndSystemTimeFromBashTimes() {
        assertEquals(62_750.0, WaitProcess.milliseconds("1m2.500s 0m0.250s"), 1e-6);
    }

    @Test
    void aLineWithoutBothTimesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WaitProcess.milliseconds("0m1.000s"));
    }

    @Test
    void aWaitThatFailsIsReportedNotMeasured(@TempDir Path dir) throws IOException {
        // a checkout whose bin/dp3q exits 3 at once, as a wait that cannot reach its broker does
        Path bin = Files.createDirectories(dir.resolve("repo/bin"));
        Path dp3q = Files.writeString(bin.resolve("dp3q"), "#!/bin/sh\nexit 3\n");
        dp3q.toFile().setExecutable(true);
        try (WaitProcess wait = WaitProcess.start(dir.resolve("repo"), "amqp://nowhere/", "b", 1, dir.resolve("work"))) {
            IOException failed = assertThrows(IOException.class, () -> wait.cpuMs(Duration.ofSeconds(30)));
            assertTrue(failed.getMessage().contains("exited 3"), failed.getMessage());
        }
    }
}
