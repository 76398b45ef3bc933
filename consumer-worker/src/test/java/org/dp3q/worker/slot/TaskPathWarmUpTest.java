package org.dp3q.worker.slot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.dp3q.worker.process.ExecWrapper;
import org.dp3q.worker.process.Guardian;
import org.dp3q.worker.process.LeftoverSweeper;
import org.dp3q.worker.process.ProcSampler;
import org.dp3q.worker.process.SubprocessLauncher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's warm-up runs a real tool through the real launcher, guardian included when the build made one, as
 * many times as it says, and leaves nothing behind: no process, no guardian, no scratch folder. A host without the
 * tool starts all the same.
 */
class TaskPathWarmUpTest {
    private final ProcSampler sampler = new ProcSampler();
    private final LeftoverSweeper sweeper = new LeftoverSweeper();
    private Guardian guardian;
    private SubprocessLauncher launcher;

    @TempDir
    Path dir;

    @BeforeEach
    void launcher() throws IOException {
        ExecWrapper wrapper = ExecWrapper.detect(Path.of("target", "dp3q-exec-test").toAbsolutePath());
        guardian = wrapper.guards() ? new Guardian(Duration.ofSeconds(5), dir.resolve("guard")) : null;
        launcher = new SubprocessLauncher(Duration.ofMillis(300), wrapper, sampler, sweeper, null, guardian);
    }

    @AfterEach
    void close() {
        launcher.close();
        if (guardian != null) {
            guardian.close();
        }
        sampler.close();
        sweeper.close();
    }

    @Test
    void the_warm_up_runs_its_tool_through_the_launcher_and_leaves_no_process_and_no_folder() throws IOException {
        Path count = dir.resolve("runs.txt");
        Path tool = script("counting-true", "#!/bin/sh\necho \"$PWD $*\" >> '" + count + "'\n");
        Path logDir = Files.createDirectories(dir.resolve("logs"));

        // the broker refuses the rehearsal (a least-privilege user): the warm-up runs the tool itself
        TaskPathWarmUp.Done done = TaskPathWarmUp.begin().finish(launcher, logDir, List.of(dir.resolve("missing"), tool), path -> 0);

        assertEquals(TaskPathWarmUp.RUNS, done.runs(), "the runs it reports");
        assertEquals(0, done.rehearsed());
        List<String> runs = Files.readAllLines(count, StandardCharsets.UTF_8);
        assertEquals(TaskPathWarmUp.RUNS, runs.size(), "the tool ran as often as reported: " + runs);
        assertTrue(runs.get(0).endsWith("msin=warm-up.ms msout=. steps=[]"), "with a chunk's kind of arguments: " + runs.get(0));
        assertTrue(runs.get(0).contains(logDir.resolve(".dp3q").toString()), "in a folder under the log folder: " + runs.get(0));
        assertEquals(TaskPathWarmUp.CODEC_ROUNDS, done.decodes());
        try (Stream<Path> left = Files.list(logDir.resolve(".dp3q"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("warm-up")).toList(),
                    "its scratch folder is deleted");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of(),
                ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::info).toList(),
                "no tool and no guardian of the warm-up is left running"));
    }

    @Test
    void a_host_without_the_tool_warms_the_codec_and_starts_all_the_same() {
        List<Path> offered = new java.util.ArrayList<>();
        TaskPathWarmUp.Done done = TaskPathWarmUp.begin().finish(launcher, dir, List.of(dir.resolve("missing")), tool -> {
            offered.add(tool);
            return 30;
        });

        assertEquals(List.of(), offered, "no rehearsal without the tool");
        assertEquals(0, done.runs());
        assertEquals(0, done.rehearsed());
        assertEquals(TaskPathWarmUp.CODEC_ROUNDS, done.decodes());
    }

    @Test
    void a_rehearsal_through_the_broker_is_given_the_tool_and_replaces_the_runs_without_it() throws IOException {
        Path count = dir.resolve("runs.txt");
        Path tool = script("counting-true", "#!/bin/sh\necho run >> '" + count + "'\n");
        List<Path> offered = new java.util.ArrayList<>();

        TaskPathWarmUp.Done done = TaskPathWarmUp.begin().finish(launcher, dir, List.of(dir.resolve("missing"), tool), path -> {
            offered.add(path);
            return 30;
        });

        assertEquals(List.of(tool), offered, "the rehearsal runs the first executable");
        assertEquals(30, done.rehearsed());
        assertEquals(0, done.runs());
        assertTrue(Files.notExists(count), "the warm-up did not run the tool itself");
    }

    private Path script(String name, String text) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
