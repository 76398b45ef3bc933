package org.dp3q.worker.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void only_regular_files_really_inside_the_directory_are_found() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("logs/b"));
        Path log = Files.writeString(root.resolve("t.attempt1.log"), "x");
        Path outside = Files.writeString(tmp.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("leak.log"), outside);
        Files.createSymbolicLink(root.resolve("inside.log"), log);
        Files.createDirectories(tmp.resolve("logs/.dp3q"));
        Files.writeString(tmp.resolve("logs/.dp3q/state"), "s");
        LogDirectory dir = new LogDirectory(tmp.resolve("logs"));

        assertEquals(log.toRealPath(), dir.resolve("b/t.attempt1.log").orElseThrow());
        assertTrue(dir.resolve("b/inside.log").isPresent(), "a link to a file inside is fine");
        for (String refused : new String[] {"../secret", "b/../../secret", "/etc/passwd", tmp.resolve("secret").toString(),
                "b/leak.log", ".dp3q/state", "b", "", "b//t.attempt1.log", "b/./t.attempt1.log", "b\\..\\..\\secret",
                "b/missing.log"}) {
            assertTrue(dir.resolve(refused).isEmpty(), refused);
        }
    }
}
