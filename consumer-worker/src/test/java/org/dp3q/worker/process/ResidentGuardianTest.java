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
 * A slot thread's guarded tasks run, one after the other, under the one resident guardian it started before
 * its first task: real {@code dp3q-exec} processes, found through {@code /proc}. Each command must reach its tool
 * exactly as it would through a fresh guardian, each run must be measured and marked on its own, and a guardian
 * that died, or holds a run nobody waits for, must cost nothing but its replacement.
 */
class ResidentGuardianTest {
    private static final ProcSampler SAMPLER = new ProcSampler();
    private static final LeftoverSweeper SWEEPER = new LeftoverSweeper();
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Duration KILL_GRACE = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private Guardian guardian;
    private SubprocessLauncher launcher;

    @BeforeEach
    void needsTheHelper() throws IOException {
        ExecWrapper helper = Wrappers.helper().orElse(null);
        assumeTrue(helper != null, "this build ships no dp3q-exec for " + ExecWrapper.platform());
        // pings every 200 ms: some are still in the pipe when a run has ended and the next command comes
        guardian = new Guardian(Duration.ofSeconds(5), Duration.ofMillis(200), dir.resolve("guard"));
        launcher = new SubprocessLauncher(KILL_GRACE, helper, SAMPLER, SWEEPER, null, guardian);
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
    void every_task_of_a_thread_runs_under_the_guardian_it_started_before_the_first() throws Exception {
        assertTrue(guardians().isEmpty(), "no guardian before the slot is ready: " + guardians());
        launcher.readyGuardian();
        List<Long> ready = idleGuardians();
        assertEquals(1, ready.size(), "one idle guardian for this thread: " + ready);

        RunningProcess first = launcher.start(spec("sleep 0.7; exit 3", "first.log", List.of(), Map.of(), dir));
        assertEquals(ready.get(0), first.pid(), "the first task runs under the guardian that was ready");
        assertEquals(3, assertTimeoutPreemptively(WITHIN, () -> first.await(null)).exitCode());
        RunningProcess second = launcher.start(spec("exit 5", "second.log", List.of(), Map.of(), dir));
        assertEquals(ready.get(0), second.pid(), "the second task runs under the same guardian");
        assertEquals(5, assertTimeoutPreemptively(WITHIN, () -> second.await(null)).exitCode());
        assertEquals(ready, idleGuardians(), "and it waits for the next one");
    }

    @Test
    void the_command_reaches_the_tool_as_given() throws Exception {
        Path workdir = Files.createDirectories(dir.resolve("work dir"));
        List<String> args = List.of("two words", "", "Åbo λ", "'quoted' \"too\"");
        String body = """
                for a in "$@"; do printf '[%s]\\n' "$a"; done > args.txt
                printf '%s|%s\\n' "$CHUNK_NAME" "$HOME" > env.txt
                printf '%s\\n' "$DP3Q_RUN" >> runs.txt
                pwd > pwd.txt
                echo to-stdout
                echo to-stderr >&2
                exit 7
                """;
        for (String log : List.of("first.log", "second.log")) {
            ProcessOutcome outcome = run(spec(body, log, args, Map.of("CHUNK_NAME", "chunk 7", "HOME", "/nowhere",
                    RunRegistry.MARKER_VARIABLE, "a task's own value"), workdir));
            assertEquals(7, outcome.exitCode(), log);
            assertEquals("[two words]\n[]\n[Åbo λ]\n['quoted' \"too\"]\n",
                    Files.readString(workdir.resolve("args.txt"), StandardCharsets.UTF_8), log);
            assertEquals("chunk 7|/nowhere\n", Files.readString(workdir.resolve("env.txt")), log);
            assertEquals(workdir.toRealPath().toString() + "\n", Files.readString(workdir.resolve("pwd.txt")), log);
            List<String> lines = Files.readAllLines(dir.resolve(log));
            assertTrue(lines.get(0).startsWith("# dp3q "), log + " starts with its header: " + lines);
            assertEquals(List.of("to-stdout", "to-stderr"), lines.subList(1, lines.size()), log);
        }
        List<String> runs = Files.readAllLines(workdir.resolve("runs.txt"));
        assertEquals(2, runs.stream().distinct().count(), "each run has its own marker, set by the worker: " + runs);
        assertFalse(runs.contains("a task's own value"), String.valueOf(runs));
    }

    @Test
    void each_run_reports_what_it_used_itself() throws Exception {
        // about 64 MiB held by tail, which keeps a line without a newline whole
        ProcessOutcome big = run(spec("head -c 67108864 /dev/zero | tail -n 1 > /dev/null", "big.log", List.of(),
                Map.of(), dir));
        ProcessOutcome small = run(spec("exit 0", "small.log", List.of(), Map.of(), dir));
        assertTrue(big.usage().maxRssKb() > 32 * 1024, "the big run's peak: " + big.usage());
        assertTrue(small.usage().maxRssKb() < 16 * 1024, "the next run's peak is its own, not the big one's: "
                + small.usage());
    }

    @Test
    void a_tool_that_cannot_be_executed_leaves_its_guardian_to_the_next_task() throws Exception {
        // the child that fails its exec shares the guardian's memory until it exits: the guardian must go on as before
        Path notExecutable = Files.writeString(dir.resolve("not-a-program"), "plain text\n");
        RunningProcess refused = launcher.start(new LaunchSpec(notExecutable, List.of(), null, Map.of(),
                dir.resolve("refused.log"), null));
        assertEquals(127, assertTimeoutPreemptively(WITHIN, () -> refused.await(null)).exitCode());
        assertTrue(Files.readString(dir.resolve("refused.log")).contains("cannot run " + notExecutable),
                "the log says why: " + Files.readString(dir.resolve("refused.log")));

        RunningProcess next = launcher.start(spec("echo ran; exit 6", "next.log", List.of(), Map.of(), dir));
        assertEquals(refused.pid(), next.pid(), "the same guardian runs the next task");
        assertEquals(6, assertTimeoutPreemptively(WITHIN, () -> next.await(null)).exitCode());
        assertTrue(Files.readAllLines(dir.resolve("next.log")).contains("ran"));
    }

    @Test
    void a_guardian_killed_while_it_waited_is_replaced_when_the_task_comes() throws Exception {
        run("exit 0", "first.log");
        List<Long> ready = idleGuardians();
        assertEquals(1, ready.size(), String.valueOf(ready));
        Procs.signalGroup("KILL", ready.get(0));
        await().atMost(WITHIN).until(() -> !Procs.running(ready.get(0)));

        RunningProcess next = launcher.start(spec("exit 4", "next.log", List.of(), Map.of(), dir));
        assertNotEquals(ready.get(0), next.pid());
        assertEquals(4, assertTimeoutPreemptively(WITHIN, () -> next.await(null)).exitCode());
    }

    @Test
    void a_run_stopped_with_sigterm_leaves_its_guardian_to_the_next_task() throws Exception {
        RunningProcess stopped = launcher.start(spec("exec sleep 30", "stopped.log", List.of(), Map.of(), dir));
        stopped.stop(StopCause.TIMEOUT);
        ProcessOutcome outcome = assertTimeoutPreemptively(WITHIN, () -> stopped.await(null));
        assertEquals(15, outcome.signal(), "the tool got the SIGTERM: " + outcome);
        // the SIGKILL that would follow a tool deaf to SIGTERM must not hit the guardian, idle by then
        await().during(KILL_GRACE.multipliedBy(2)).atMost(WITHIN)
                .until(() -> idleGuardians().equals(List.of(stopped.pid())));
        RunningProcess next = launcher.start(spec("exit 6", "next.log", List.of(), Map.of(), dir));
        assertEquals(stopped.pid(), next.pid());
        assertEquals(6, assertTimeoutPreemptively(WITHIN, () -> next.await(null)).exitCode());
    }

    @Test
    void a_run_nobody_waited_for_is_killed_when_the_next_task_comes() throws Exception {
        Path pidFile = dir.resolve("abandoned.pid");
        RunningProcess abandoned = launcher.start(spec("echo $$ > '" + pidFile + "'; exec sleep 30", "abandoned.log",
                List.of(), Map.of(), dir));
        await().atMost(WITHIN).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long tool = Procs.readPid(pidFile);

        RunningProcess next = launcher.start(spec("exit 0", "next.log", List.of(), Map.of(), dir));
        assertNotEquals(abandoned.pid(), next.pid(), "the next task gets a guardian of its own");
        assertEquals(0, assertTimeoutPreemptively(WITHIN, () -> next.await(null)).exitCode());
        await().atMost(WITHIN).untilAsserted(() -> assertFalse(Procs.running(tool), "the abandoned run is gone"));
    }

    @Test
    void a_command_an_exec_cannot_take_is_refused_before_anything_runs() throws Exception {
        run("exit 0", "first.log");
        List<Long> ready = idleGuardians();
        IOException refused = assertThrows(IOException.class,
                () -> launcher.start(spec("exit 0", "nul.log", List.of("a\0b"), Map.of(), dir)));
        assertTrue(refused.getMessage().contains("null character"), refused.getMessage());
        assertEquals(ready, idleGuardians(), "the guardian still waits for a task it can run");
    }

    @Test
    void closing_the_launcher_ends_the_idle_guardian() throws Exception {
        run("exit 0", "first.log");
        List<Long> ready = idleGuardians();
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

    @Test
    void the_record_of_the_guardians_group_names_its_run_until_the_guardian_is_gone() throws Exception {
        Path running = dir.resolve("running");
        SubprocessLauncher recording = new SubprocessLauncher(KILL_GRACE, Wrappers.helper().orElseThrow(), SAMPLER,
                SWEEPER, new RunRegistry(running), guardian);
        List<RunningProcess> runs = new java.util.ArrayList<>();
        try {
            RunningProcess first = recording.start(spec("exit 0", "one.log", List.of(), Map.of(), dir));
            runs.add(first);
            assertEquals(0, assertTimeoutPreemptively(WITHIN, () -> first.await(null)).exitCode());
            Path record = onlyRecord(running);
            Object inode = Files.getAttribute(record, "unix:ino");

            RunningProcess second = recording.start(spec("echo \"$" + RunRegistry.MARKER_VARIABLE + "\" > marker; sleep 1.5",
                    "two.log", List.of(), Map.of(), dir));
            runs.add(second);
            await().atMost(WITHIN).until(() -> Files.exists(dir.resolve("marker")));
            String marker = RunRegistry.MARKER_VARIABLE + "=" + Files.readString(dir.resolve("marker")).strip();
            // the end of the first run, which the sweeper forgets within its pace, must not take the second's record
            await().during(Duration.ofMillis(500)).atMost(WITHIN).until(() -> Files.exists(record)
                    && Files.readString(record).contains("marker=" + marker + "\n"));
            assertEquals(inode, Files.getAttribute(record, "unix:ino"), "one record, written over, not a file per run");

            assertEquals(0, assertTimeoutPreemptively(WITHIN, () -> second.await(null)).exitCode());
            recording.close();
            await().atMost(WITHIN).until(() -> !Files.exists(record));
        } finally {
            // a run still going when an assertion failed holds its guardian: the next test must find none
            for (RunningProcess run : runs) {
                assertTimeoutPreemptively(WITHIN, () -> run.await(null));
            }
            recording.close();
        }
    }

    private static Path onlyRecord(Path running) throws IOException {
        try (var files = Files.list(running)) {
            List<Path> records = files.filter(f -> f.toString().endsWith(".run")).toList();
            assertEquals(1, records.size(), "one record: " + records);
            return records.get(0);
        }
    }

    private LaunchSpec spec(String body, String log, List<String> args, Map<String, String> env, Path workdir)
            throws IOException {
        Path tool = Procs.script(dir, "tool-" + log, body);
        return new LaunchSpec(tool, args, workdir, env, dir.resolve(log), null);
    }

    /** The resident guardians this JVM started that are alive. */
    private static List<Long> guardians() {
        return ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(a -> List.of(a).contains("--resident")).orElse(false))
                .filter(child -> Procs.running(child.pid()))
                .map(ProcessHandle::pid).sorted().toList();
    }

    /** Those that run no tool now. */
    private static List<Long> idleGuardians() {
        return guardians().stream().filter(pid -> ProcessHandle.of(pid).map(h -> h.children().findAny().isEmpty())
                .orElse(false)).toList();
    }
}
