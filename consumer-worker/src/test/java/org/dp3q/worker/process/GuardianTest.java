package org.dp3q.worker.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dp3q-exec --guard} as the tool's parent, driven the way the worker drives it: real subprocesses,
 * real signals, a real ping pipe. The guardian must be invisible while the worker pings it (exit codes,
 * signals, stops and stdin as without it) and kill the whole group when the pings stop or the worker dies.
 */
class GuardianTest {
    private static final ProcSampler SAMPLER = new ProcSampler();
    private static final LeftoverSweeper SWEEPER = new LeftoverSweeper();
    private static final Duration LONG_GRACE = Duration.ofHours(1);
    private static final Duration WITHIN = Duration.ofSeconds(10);
    /** A tool that ignores SIGTERM (and so does its child) and runs until killed; writes child.pid, then ready. */
    private static final String STUBBORN = """
            trap '' TERM
            sleep 1000 &
            echo $! > child.pid
            touch ready
            wait
            """;

    @TempDir
    Path dir;

    private ExecWrapper helper;
    private Guardian pinging;
    private RunningProcess started;

    @BeforeEach
    void needsTheHelper() throws IOException {
        helper = Wrappers.helper().orElse(null);
        assumeTrue(helper != null, "this build ships no dp3q-exec for " + ExecWrapper.platform());
        assertTrue(helper.guards());
        pinging = new Guardian(Duration.ofMillis(400), dir.resolve("guard"));
    }

    @AfterEach
    void killLeftovers() {
        if (started != null) {
            ProcessGroup.kill(started.pid());
        }
        if (pinging != null) {
            pinging.close();
        }
    }

    @AfterAll
    static void stop() {
        SAMPLER.close();
        SWEEPER.close();
    }

    @Test
    void the_exit_code_of_the_tool_is_the_guardians() throws Exception {
        ProcessOutcome outcome = run(pinging, "exit 3");

        assertEquals(3, outcome.exitCode());
        assertNull(outcome.signal());
        assertEquals(StopCause.NONE, outcome.stoppedBy());
    }

    @ParameterizedTest(name = "kill -{0} gives signal {1}")
    @CsvSource({"KILL, 9", "TERM, 15", "SEGV, 11", "INT, 2"})
    void a_tool_ended_by_a_signal_ends_its_guardian_by_the_same_signal(String signal, int number) throws Exception {
        ProcessOutcome outcome = run(pinging, "kill -" + signal + " $$\nsleep 10");

        assertEquals(number, outcome.signal());
        assertNull(outcome.exitCode());
        assertEquals(StopCause.NONE, outcome.stoppedBy(), "not the guardian's doing");
        assertNull(outcome.stopDetail());
    }

    /**
     * A run shorter than two of the sampler's intervals: sampling /proc would miss its start, its end and the
     * moment its child held 64 MiB. The guardian's wait4 measures all of it; the shell's own {@code times} is the
     * reference.
     */
    @Test
    void a_short_runs_cpu_and_peak_memory_are_measured_exactly_by_its_guardian() throws Exception {
        ProcessOutcome outcome = run(pinging, """
                dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null
                i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done
                times > times.txt
                """);

        long reference = shellTimesMs(dir.resolve("times.txt"));
        assertTrue(reference >= 50, "the tool burnt " + reference + " ms of CPU: too little to tell");
        assertTrue(Math.abs(outcome.usage().cpuMs() - reference) <= 30,
                "CPU " + outcome.usage().cpuMs() + " ms reported, the shell counted " + reference + " ms");
        assertTrue(outcome.usage().maxRssKb() >= 64 * 1024, "peak RSS " + outcome.usage().maxRssKb() + " kB");
        assertEquals(List.of(), listGuardDir(), "the guardian leaves no file behind");
    }

    /**
     * What a tool leaves behind dies before its end is reported, wherever it went: its own process group, a group
     * of its own, a session of its own (a daemon), a child that ignores SIGTERM. The guardian inherits every orphan
     * as the subreaper of its run, kills and reaps them, and only then ends.
     */
    @Test
    void whatever_a_tool_left_behind_is_gone_when_its_end_is_reported_a_daemon_in_a_session_of_its_own_too()
            throws Exception {
        ProcessOutcome outcome = run(pinging, """
                setsid sleep 1000 &
                echo $! > daemon.pid
                sleep 1000 &
                echo $! > child.pid
                (trap '' TERM; exec sleep 1000) &
                echo $! > stubborn.pid
                exit 0
                """);

        assertTrue(outcome.succeeded(), outcome.toString());
        for (String left : List.of("daemon.pid", "child.pid", "stubborn.pid")) {
            long pid = Procs.readPid(dir.resolve(left));
            assertFalse(Procs.running(pid), left + ": " + pid + " still runs after the run's end was reported");
        }
    }

    /** The four times of a shell's {@code times} (its own user and system, its children's), added up. */
    private static long shellTimesMs(Path file) throws IOException {
        long total = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s").matcher(Files.readString(file));
        while (m.find()) {
            total += Long.parseLong(m.group(1)) * 60_000 + Math.round(Double.parseDouble(m.group(2)) * 1000);
        }
        return total;
    }

    private List<String> listGuardDir() throws IOException {
        try (var files = Files.list(dir.resolve("guard"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void the_guardian_leads_the_group_and_the_tool_and_its_children_are_in_it() throws Exception {
        RunningProcess process = start(pinging, STUBBORN, LONG_GRACE);
        awaitFile("ready");
        long child = Procs.readPid(dir.resolve("child.pid"));

        assertEquals(process.pid(), Procs.session(process.pid()));
        assertEquals(process.pid(), Procs.processGroup(process.pid()));
        assertEquals(process.pid(), Procs.processGroup(child));
        assertEquals(3, Procs.runningMembers(process.pid()).size(), "guardian, tool and its child");
    }

    @Test
    void the_tool_reads_an_empty_stdin_not_the_ping_pipe() throws Exception {
        ProcessOutcome outcome = run(pinging, "cat\necho end of input");

        assertEquals(0, outcome.exitCode());
        assertEquals("end of input", Files.readAllLines(dir.resolve("attempt.log")).get(1));
    }

    @Test
    void a_tool_the_worker_pings_runs_past_the_guard_timeout() throws Exception {
        ProcessOutcome outcome = run(pinging, "sleep 1.5\necho still here");

        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.succeeded());
        assertTrue(outcome.durationMs() >= 1500, outcome.durationMs() + " ms");
        assertTrue(outcome.tail().endsWith("still here"), outcome.tail());
    }

    @Test
    void a_drain_sigterm_reaches_the_tool_and_its_clean_exit_is_reported() throws Exception {
        RunningProcess process = start(pinging, """
                trap 'echo stopping cleanly; exit 0' TERM
                touch ready
                while :; do sleep 0.05; done
                """, LONG_GRACE);
        awaitFile("ready");

        process.stop(StopCause.DRAINED);
        ProcessOutcome outcome = assertTimeoutPreemptively(WITHIN, () -> process.await(null));

        assertEquals(StopCause.DRAINED, outcome.stoppedBy());
        assertEquals(0, outcome.exitCode(), "the guardian ignored the SIGTERM and reported the tool's exit");
        assertTrue(outcome.tail().endsWith("stopping cleanly"), outcome.tail());
    }

    @Test
    void a_timeout_kills_the_group_and_is_not_taken_for_the_guardians_kill() throws Exception {
        RunningProcess process = start(pinging, STUBBORN, Duration.ofMillis(200));
        awaitFile("ready");
        long child = Procs.readPid(dir.resolve("child.pid"));

        ProcessOutcome outcome = process.await(Duration.ofMillis(100));

        assertEquals(StopCause.TIMEOUT, outcome.stoppedBy());
        assertEquals(9, outcome.signal());
        assertGroupGone(process.pid(), child);
    }

    @Test
    void when_the_pings_stop_the_guardian_kills_the_group_and_records_why() throws Exception {
        Path records = dir.resolve("silent-guard");
        // pings every hour against a timeout of 300 ms: a worker whose JVM stopped
        try (Guardian silent = new Guardian(Duration.ofMillis(300), Duration.ofHours(1), records)) {
            RunningProcess process = start(silent, STUBBORN, LONG_GRACE);
            awaitFile("ready");
            long child = Procs.readPid(dir.resolve("child.pid"));

            ProcessOutcome outcome = assertTimeoutPreemptively(WITHIN, () -> process.await(null));

            assertEquals(StopCause.GUARD, outcome.stoppedBy());
            assertEquals(9, outcome.signal());
            assertTrue(outcome.stopDetail().contains("--guard-timeout 0.3 s"), outcome.stopDetail());
            assertTrue(outcome.stopDetail().contains("killed the subprocess group at "), outcome.stopDetail());
            assertFalse(outcome.succeeded());
            assertGroupGone(process.pid(), child);
            try (var left = Files.list(records)) {
                assertEquals(List.of(), left.toList(), "the record is removed once read");
            }
        }
    }

    @Test
    void a_lease_keeps_a_run_alive_without_pings_until_it_ends_and_then_the_guardian_kills_and_says_so() throws Exception {
        Path records = dir.resolve("leased-guard");
        try (Guardian silent = new Guardian(Duration.ofMillis(200), Duration.ofHours(1), records)) {
            RunningProcess process = start(silent, STUBBORN, LONG_GRACE);
            long leaseEnd = BootClock.nowMs() + 1500;
            assertTrue(process.lease(leaseEnd));
            awaitFile("ready");
            long child = Procs.readPid(dir.resolve("child.pid"));
            // no ping for four guard timeouts: the lease alone keeps it
            await().during(Duration.ofMillis(800)).atMost(WITHIN).until(() -> Procs.running(process.pid()));

            ProcessOutcome outcome = assertTimeoutPreemptively(WITHIN, () -> process.await(null));

            assertTrue(BootClock.nowMs() >= leaseEnd, "killed before its lease ended");
            assertEquals(StopCause.GUARD, outcome.stoppedBy());
            assertTrue(outcome.stopDetail().contains("claim ran out"), outcome.stopDetail());
            assertGroupGone(process.pid(), child);
        }
    }

    @Test
    void a_worker_that_stops_pinging_a_leased_run_leaves_it_to_the_lease() throws Exception {
        RunningProcess process = start(pinging, STUBBORN, LONG_GRACE);
        awaitFile("ready");
        long leaseEnd = BootClock.nowMs() + 1200;
        process.lease(leaseEnd);
        process.livesOnLease();

        ProcessOutcome outcome = assertTimeoutPreemptively(WITHIN, () -> process.await(null));

        assertTrue(BootClock.nowMs() >= leaseEnd, "killed before its lease ended");
        assertEquals(StopCause.GUARD, outcome.stoppedBy());
    }

    @Test
    void a_group_paused_longer_than_the_guard_timeout_is_not_taken_for_a_frozen_worker() throws Exception {
        RunningProcess process = start(pinging, "touch ready\nwhile [ ! -e go ]; do sleep 0.05; done\necho went on",
                LONG_GRACE);
        awaitFile("ready");

        // an operator pauses the chunk: the guardian stops with its group, the worker keeps pinging
        Procs.signalGroup("STOP", process.pid());
        await().during(Duration.ofMillis(800)).atMost(WITHIN).until(() -> Procs.state(process.pid()) == 'T');
        Procs.signalGroup("CONT", process.pid());
        await().during(Duration.ofMillis(800)).atMost(WITHIN).until(() -> Procs.running(process.pid())
                && Procs.state(process.pid()) != 'T');
        Files.createFile(dir.resolve("go"));
        ProcessOutcome outcome = assertTimeoutPreemptively(WITHIN, () -> process.await(null));

        assertEquals(StopCause.NONE, outcome.stoppedBy(), String.valueOf(outcome.stopDetail()));
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.tail().endsWith("went on"), outcome.tail());
    }

    @Test
    void a_worker_killed_with_kill_9_takes_the_guarded_group_with_it() throws Exception {
        Path tool = Procs.script(dir, "tool", STUBBORN);
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GuardedChildMain.class.getName(), tool.toString(),
                dir.toString()).redirectErrorStream(true).start();
        try {
            long guardian;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                String line = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    String read;
                    while ((read = out.readLine()) != null && !read.startsWith("started ")) {
                        System.out.println("worker: " + read);
                    }
                    return read;
                });
                guardian = Long.parseLong(line.substring("started ".length()));
                awaitFile("ready");
                long child = Procs.readPid(dir.resolve("child.pid"));

                worker.destroyForcibly();

                assertGroupGone(guardian, child);
            }
        } finally {
            worker.destroyForcibly();
        }
    }

    // ---- helpers

    private ProcessOutcome run(Guardian guardian, String body) throws Exception {
        RunningProcess process = start(guardian, body, LONG_GRACE);
        return assertTimeoutPreemptively(WITHIN, () -> process.await(null));
    }

    private RunningProcess start(Guardian guardian, String body, Duration killGrace) throws IOException {
        Path tool = Procs.script(dir, "tool", body);
        started = new SubprocessLauncher(killGrace, helper, SAMPLER, SWEEPER, null, guardian)
                .start(new LaunchSpec(tool, List.of(), dir, Map.of(), dir.resolve("attempt.log"), null));
        return started;
    }

    private void awaitFile(String name) {
        await().atMost(WITHIN).until(() -> Files.exists(dir.resolve(name)));
    }

    private static void assertGroupGone(long pgid, long child) {
        await().atMost(WITHIN).untilAsserted(() -> {
            assertFalse(Procs.running(pgid), "the guardian " + pgid + " still runs");
            assertFalse(Procs.running(child), "the tool's child " + child + " still runs");
            assertEquals(List.of(), Procs.runningMembers(pgid));
        });
    }
}
