package org.dp3q.worker.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guarded task starts on the spare guardian its thread started while the previous task ran: real
 * {@code dp3q-exec} processes, found through {@code /proc}. The command must reach the tool exactly as it would
 * through a fresh guardian, and a spare that died while it waited must cost nothing but its replacement.
 */
class SpareGuardianTest {
    private static final ProcSampler SAMPLER = new ProcSampler();
    private static final LeftoverSweeper SWEEPER = new LeftoverSweeper();
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Guardian guardian;
    private SubprocessLauncher launcher;

    @BeforeEach
    void needsTheHelper() throws IOException {
        ExecWrapper helper = Wrappers.helper().orElse(null);
        assumeTrue(helper != null, "this build ships no dp3q-exec for " + ExecWrapper.platform());
        guardian = new Guardian(Duration.ofSeconds(5), dir.resolve("guard"));
        launcher = new SubprocessLauncher(Duration.ofSeconds(5), helper, SAMPLER, SWEEPER, null, guardian);
    }

    @AfterEach
    void close() {
        if (launcher != null) {
            launcher.close();
            guardian.close();
        }
    }

    @AfterAll
    static void stop() {
        SAMPLER.close();
        SWEEPER.close();
    }

    @Test
    void the_next_task_runs_under_the_spare_started_while_the_previous_one_ran() throws Exception {
        assertTrue(spares().isEmpty(), "no spare before the first task: " + spares());
        assertEquals(0, run("exit 0", "first.log").exitCode());
        List<Long> ready = spares();
        assertEquals(1, ready.size(), "one spare for this thread's next task: " + ready);

        RunningProcess second = launcher.start(spec("exit 0", "second.log", List.of(), Map.of(), dir));
        assertEquals(ready.get(0), second.pid(), "the second task's guardian is the spare that was waiting");
        assertEquals(0, assertTimeoutPreemptively(WITHIN, () -> second.await(null)).exitCode());
    }

    @Test
    void the_command_reaches_the_tool_as_given() throws Exception {
        Path workdir = Files.createDirectories(dir.resolve("work dir"));
        List<String> args = List.of("two words", "", "Åbo λ", "'quoted' \"too\"");
        String body = """
                for a in "$@"; do printf '[%s]\\n' "$a"; done > args.txt
                printf '%s|%s\\n' "$CHUNK_NAME" "$HOME" > env.txt
                pwd > pwd.txt
                echo to-stdout
                echo to-stderr >&2
                exit 7
                """;
        for (String log : List.of("first.log", "second.log")) {
            ProcessOutcome outcome = run(spec(body, log, args, Map.of("CHUNK_NAME", "chunk 7", "HOME", "/nowhere"),
                    workdir));
            assertEquals(7, outcome.exitCode(), log);
            assertEquals("[two words]\n[]\n[Åbo λ]\n['quoted' \"too\"]\n",
                    Files.readString(workdir.resolve("args.txt"), StandardCharsets.UTF_8), log);
            assertEquals("chunk 7|/nowhere\n", Files.readString(workdir.resolve("env.txt")), log);
            assertEquals(workdir.toRealPath().toString() + "\n", Files.readString(workdir.resolve("pwd.txt")), log);
            List<String> lines = Files.readAllLines(dir.resolve(log));
            assertTrue(lines.get(0).startsWith("# dp3q "), log + " starts with its header: " + lines);
            assertEquals(List.of("to-stdout", "to-stderr"), lines.subList(1, lines.size()), log);
        }
    }

    @Test
    void a_spare_killed_while_it_waited_is_replaced_when_the_task_comes() throws Exception {
        run("exit 0", "first.log");
        List<Long> ready = spares();
        assertEquals(1, ready.size(), String.valueOf(ready));
        Procs.signalGroup("KILL", ready.get(0));
        await().atMost(WITHIN).until(() -> !Procs.running(ready.get(0)));

        RunningProcess next = launcher.start(spec("exit 4", "next.log", List.of(), Map.of(), dir));
        assertNotEquals(ready.get(0), next.pid());
        assertEquals(4, assertTimeoutPreemptively(WITHIN, () -> next.await(null)).exitCode());
    }

    @Test
    void a_command_an_exec_cannot_take_is_refused_before_anything_runs() throws Exception {
        run("exit 0", "first.log");
        List<Long> ready = spares();
        IOException refused = assertThrows(IOException.class,
                () -> launcher.start(spec("exit 0", "nul.log", List.of("a\0b"), Map.of(), dir)));
        assertTrue(refused.getMessage().contains("null character"), refused.getMessage());
        assertEquals(ready, spares(), "the spare still waits for a task it can run");
    }

    @Test
    void closing_the_launcher_ends_the_waiting_spare() throws Exception {
        run("exit 0", "first.log");
        List<Long> ready = spares();
        assertEquals(1, ready.size(), String.valueOf(ready));
        launcher.close();
        await().atMost(WITHIN).untilAsserted(() -> assertFalse(Procs.running(ready.get(0))));
    }

    // ---- helpers

    private ProcessOutcome run(String body, String log) throws Exception {
        return run(spec(body, log, List.of(), Map.of(), dir));
    }

    private ProcessOutcome run(LaunchSpec spec) throws Exception {
        RunningProcess process = launcher.start(spec);
        return assertTimeoutPreemptively(WITHIN, () -> process.await(null));
    }

    private LaunchSpec spec(String body, String log, List<String> args, Map<String, String> env, Path workdir)
            throws IOException {
        Path tool = Procs.script(dir, "tool-" + log, body);
        return new LaunchSpec(tool, args, workdir, env, dir.resolve(log), null);
    }

    /** The spare guardians this JVM started that still wait (children with --spare, not yet running a tool). */
    private static List<Long> spares() throws IOException {
        return ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(a -> List.of(a).contains("--spare")).orElse(false))
                .filter(child -> child.children().findAny().isEmpty())
                .filter(child -> Procs.running(child.pid()))
                .map(ProcessHandle::pid).sorted().toList();
    }
}
