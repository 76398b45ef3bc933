package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dp3q-exec helper as the build ships it, and the fallback to util-linux. */
class ExecWrapperTest {
    @TempDir
    Path dir;

    @Test
    void a_build_with_a_c_compiler_ships_a_helper_that_runs_here() {
        assumeTrue(onPath("gcc") || System.getenv("CC") != null, "no C compiler: the build ships no helper");

        ExecWrapper helper = ExecWrapper.helper(dir).orElseThrow(() -> new AssertionError(
                "no dp3q-exec for " + ExecWrapper.platform() + " in the build; see consumer-worker/src/main/c/build.sh"));

        assertTrue(helper.diesWithWorker());
        assertEquals(List.of(Long.toString(ProcessHandle.current().pid()), "--"), helper.prefix().subList(1, 3));
        assertTrue(Files.isExecutable(Path.of(helper.prefix().get(0))));
    }

    @Test
    void the_helper_is_unpacked_once_and_reused() throws Exception {
        ExecWrapper first = helperOrSkip();
        Path executable = Path.of(first.prefix().get(0));
        FileTime marked = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(executable, marked);

        ExecWrapper second = ExecWrapper.helper(dir).orElseThrow();

        assertEquals(first.prefix(), second.prefix());
        assertEquals(marked, Files.getLastModifiedTime(executable), "unpacked again");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(executable), files.toList(), "no partial files left behind");
        }
    }

    @Test
    void the_helper_runs_nothing_when_its_parent_is_not_the_one_named() throws Exception {
        Path executable = Path.of(helperOrSkip().prefix().get(0));
        Path witness = dir.resolve("ran");

        Process process = new ProcessBuilder(executable.toString(), "1", "--", "/usr/bin/touch", witness.toString())
                .redirectErrorStream(true).start();

        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(127, process.exitValue());
        assertFalse(Files.exists(witness));
    }

    @Test
    void guard_options_go_before_the_separator_of_a_helper_that_guards() {
        ExecWrapper helper = helperOrSkip();

        List<String> prefix = helper.prefix(List.of("--guard=500", "--record=/r"));

        assertTrue(helper.guards());
        assertEquals(List.of(helper.prefix().get(0), helper.prefix().get(1), "--guard=500", "--record=/r", "--"), prefix);
        assertFalse(ExecWrapper.utilLinux().guards(), "util-linux has no guardian");
    }

    @Test
    void a_helper_that_cannot_be_unpacked_leaves_util_linux() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");

        ExecWrapper wrapper = ExecWrapper.detect(notADirectory.resolve("sub"));

        assertEquals(ExecWrapper.utilLinux(), wrapper);
        assertTrue(wrapper.prefix().get(wrapper.prefix().size() - 1).endsWith("setsid"));
    }

    private ExecWrapper helperOrSkip() {
        var helper = ExecWrapper.helper(dir);
        assumeTrue(helper.isPresent(), "this build ships no dp3q-exec for " + ExecWrapper.platform());
        return helper.get();
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
