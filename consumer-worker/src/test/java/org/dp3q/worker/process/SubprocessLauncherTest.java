package org.dp3q.worker.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Real {@code /bin/sh} subprocesses, started the way a worker slot starts a tool. */
class SubprocessLauncherTest {
    private static final ProcSampler SAMPLER = new ProcSampler();
    private static final LeftoverSweeper SWEEPER = new LeftoverSweeper();
    private static final ExecWrapper DEFAULT_WRAPPER = Wrappers.preferred();
    private static final Duration LONG_GRACE = Duration.ofHours(1);
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

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

    private RunningProcess started;

    @AfterEach
    void killLeftovers() {
        if (started != null) {
            ProcessGroup.kill(started.pid());
        }
    }

    @ParameterizedTest
    @MethodSource("wrappers")
    void the_exit_code_is_captured(ExecWrapper wrapper) throws Exception {
        ProcessOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> start(wrapper, LONG_GRACE, Procs.script(dir, "tool", "exit 3")).await(null));

        assertEquals(3, outcome.exitCode());
        assertNull(outcome.signal());
        assertEquals(StopCause.NONE, outcome.stoppedBy());
        assertFalse(outcome.succeeded());
    }

    @Test
    void exit_code_zero_is_success() throws Exception {
        ProcessOutcome outcome = run("exit 0");

        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.succeeded());
    }

    @Test
    void output_and_errors_go_to_the_log_after_a_command_header() throws Exception {
        Path tool = Procs.script(dir, "tool", "echo 'to stdout'\necho 'to stderr' >&2\nexit 1");
        Path log = dir.resolve("logs/cal/cal_4.attempt1.log");

        ProcessOutcome outcome = start(new LaunchSpec(tool, List.of("msin=obs.ms", "steps=[solve]"), dir, Map.of(), log, null))
                .await(null);

        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("# dp3q "), lines.get(0));
        assertTrue(lines.get(0).endsWith(" in " + dir + ": " + tool + " msin=obs.ms steps=[solve]"), lines.get(0));
        assertEquals(List.of("to stdout", "to stderr"), lines.subList(1, 3));
        assertTrue(outcome.tail().endsWith("to stdout\nto stderr"), outcome.tail());
    }

    @Test
    void a_log_from_an_earlier_attempt_is_replaced() throws Exception {
        Path log = dir.resolve("attempt.log");
        Files.writeString(log, "old output\n");
        Path tool = Procs.script(dir, "tool", "echo new output");

        start(new LaunchSpec(tool, List.of(), dir, Map.of(), log, null)).await(null);

        assertFalse(Files.readString(log).contains("old output"));
    }

    @ParameterizedTest
    @MethodSource("wrappers")
    void arguments_reach_the_tool_verbatim_without_a_shell(ExecWrapper wrapper) throws Exception {
        Path tool = Procs.script(dir, "tool", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done");
        Path log = dir.resolve("attempt.log");
        List<String> args = List.of("a b", "$HOME", "x;touch pwned", "*", "", "steps=[solve]", "--", "-x");

        started = new SubprocessLauncher(LONG_GRACE, wrapper, SAMPLER, SWEEPER)
                .start(new LaunchSpec(tool, args, dir, Map.of(), log, null));
        started.await(null);

        List<String> lines = Files.readAllLines(log);
        assertEquals(List.of("[a b]", "[$HOME]", "[x;touch pwned]", "[*]", "[]", "[steps=[solve]]", "[--]", "[-x]"),
                lines.subList(1, lines.size()));
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void the_task_environment_is_merged_over_the_worker_environment() throws Exception {
        Path tool = Procs.script(dir, "tool", "echo \"omp=$OMP_NUM_THREADS\"\necho \"home=$HOME\"\necho \"path=$PATH\"");
        Path log = dir.resolve("attempt.log");

        start(new LaunchSpec(tool, List.of(), dir, Map.of("OMP_NUM_THREADS", "16", "HOME", "/elsewhere"), log, null))
                .await(null);

        List<String> lines = Files.readAllLines(log);
        assertEquals(List.of("omp=16", "home=/elsewhere", "path=" + System.getenv("PATH")), lines.subList(1, lines.size()));
    }

    @Test
    void the_tool_runs_in_the_task_workdir() throws Exception {
        Path workdir = Files.createDirectories(dir.resolve("work"));
        Path tool = Procs.script(dir, "tool", "pwd -P");
        Path log = dir.resolve("attempt.log");

        start(new LaunchSpec(tool, List.of(), workdir, Map.of(), log, null)).await(null);

        assertEquals(workdir.toRealPath().toString(), Files.readAllLines(log).get(1));
    }

    @Test
    void the_tool_reads_an_empty_stdin() throws Exception {
        Path tool = Procs.script(dir, "tool", "cat\necho end of input");

        ProcessOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> start(new LaunchSpec(tool, List.of(), dir, Map.of(), dir.resolve("a.log"), null)).await(null));

        assertEquals(0, outcome.exitCode());
        assertEquals("end of input", Files.readAllLines(dir.resolve("a.log")).get(1));
    }

    @ParameterizedTest
    @MethodSource("wrappers")
    void the_tool_leads_its_own_process_group(ExecWrapper wrapper) throws Exception {
        RunningProcess process = start(wrapper, LONG_GRACE, Procs.script(dir, "tool", STUBBORN));
        awaitFile("ready");

        assertEquals(process.pid(), Procs.session(process.pid()), "the tool leads its own session");
        long pgid = Procs.processGroup(process.pid());
        assertEquals(process.pid(), pgid);
        assertNotEquals(Procs.processGroup(ProcessHandle.current().pid()), pgid);
        assertEquals(pgid, Procs.processGroup(Procs.readPid(dir.resolve("child.pid"))));
    }

    @ParameterizedTest(name = "kill -{0} gives signal {1}")
    @CsvSource({"KILL, 9", "TERM, 15"})
    void a_tool_ended_by_a_signal_reports_its_number(String signal, int number) throws Exception {
        ProcessOutcome outcome = run("kill -" + signal + " $$\nsleep 10");

        assertEquals(number, outcome.signal());
        assertNull(outcome.exitCode());
        assertEquals(StopCause.NONE, outcome.stoppedBy());
        assertFalse(outcome.succeeded());
    }

    @Test
    void a_timeout_stops_the_tool_and_its_children() throws Exception {
        RunningProcess process = startScript("sleep 1000 &\necho $! > child.pid\ntouch ready\nwait", LONG_GRACE);
        awaitFile("ready");
        long child = Procs.readPid(dir.resolve("child.pid"));

        ProcessOutcome outcome = process.await(Duration.ofMillis(200));

        assertEquals(StopCause.TIMEOUT, outcome.stoppedBy());
        assertEquals(15, outcome.signal(), "ended by the SIGTERM of the timeout");
        assertFalse(outcome.succeeded());
        assertTrue(outcome.durationMs() >= 200, outcome.durationMs() + " ms");
        assertGroupGone(process.pid(), child);
    }

    @Test
    void a_timeout_kills_a_tool_that_ignores_sigterm_after_the_grace_period() throws Exception {
        RunningProcess process = startScript(STUBBORN, Duration.ofMillis(300));
        awaitFile("ready");
        long child = Procs.readPid(dir.resolve("child.pid"));

        ProcessOutcome outcome = process.await(Duration.ofMillis(100));

        assertEquals(StopCause.TIMEOUT, outcome.stoppedBy());
        assertEquals(9, outcome.signal());
        assertTrue(outcome.durationMs() >= 400, outcome.durationMs() + " ms");
        assertGroupGone(process.pid(), child);
    }

    @ParameterizedTest
    @EnumSource(value = StopCause.class, names = {"DELIVERY_LOST", "CANCELLED"})
    void a_lost_or_cancelled_delivery_kills_the_group_at_once(StopCause cause) throws Exception {
        RunningProcess process = startScript(STUBBORN, LONG_GRACE);
        awaitFile("ready");
        long child = Procs.readPid(dir.resolve("child.pid"));

        process.stop(cause);
        ProcessOutcome outcome = assertTimeoutPreemptively(GONE_WITHIN, () -> process.await(null));

        assertEquals(cause, outcome.stoppedBy());
        assertEquals(9, outcome.signal());
        assertGroupGone(process.pid(), child);
    }

    @Test
    void a_drain_asks_the_tool_to_stop_with_sigterm() throws Exception {
        RunningProcess process = startScript("""
                trap 'echo stopping cleanly; exit 0' TERM
                touch ready
                while :; do sleep 0.05; done
                """, LONG_GRACE);
        awaitFile("ready");

        process.stop(StopCause.DRAINED);
        ProcessOutcome outcome = assertTimeoutPreemptively(GONE_WITHIN, () -> process.await(null));

        assertEquals(StopCause.DRAINED, outcome.stoppedBy());
        assertEquals(0, outcome.exitCode());
        assertFalse(outcome.succeeded(), "a stopped tool never counts as succeeded");
        assertTrue(outcome.tail().endsWith("stopping cleanly"), outcome.tail());
    }

    @Test
    void the_first_stop_cause_is_the_one_reported() throws Exception {
        RunningProcess process = startScript(STUBBORN, LONG_GRACE);
        awaitFile("ready");

        process.stop(StopCause.DRAINED);
        process.stop(StopCause.DELIVERY_LOST);
        ProcessOutcome outcome = assertTimeoutPreemptively(GONE_WITHIN, () -> process.await(null));

        assertEquals(StopCause.DRAINED, outcome.stoppedBy());
        assertEquals(9, outcome.signal(), "the lost delivery still killed it at once");
    }

    @Test
    void children_left_behind_by_a_tool_that_exits_are_killed() throws Exception {
        RunningProcess process = startScript("sleep 1000 &\necho $! > child.pid\nexit 0", LONG_GRACE);

        ProcessOutcome outcome = process.await(null);

        assertTrue(outcome.succeeded());
        long child = Procs.readPid(dir.resolve("child.pid"));
        assertGroupGone(process.pid(), child);
    }

    @Test
    void stopping_a_tool_that_already_ended_changes_nothing() throws Exception {
        RunningProcess process = startScript("exit 4", LONG_GRACE);
        await().atMost(GONE_WITHIN).until(() -> !Procs.running(process.pid()));

        process.stop(StopCause.DELIVERY_LOST);
        ProcessOutcome outcome = process.await(null);

        assertEquals(4, outcome.exitCode());
    }

    @ParameterizedTest
    @MethodSource("wrappers")
    void a_tool_dies_with_the_thread_that_started_it(ExecWrapper wrapper) throws Exception {
        assumeTrue(wrapper.diesWithWorker(), "no util-linux setpriv on this host");
        SubprocessLauncher launcher = new SubprocessLauncher(LONG_GRACE, wrapper, SAMPLER, SWEEPER);
        Path tool = Procs.script(dir, "tool", "touch ready\nwhile :; do sleep 0.05; done");

        // the thread ends once the tool runs (its parent-death signal is armed before the tool is exec'd)
        started = startOnThreadThatEnds(launcher, tool);

        await().atMost(GONE_WITHIN).until(() -> !Procs.running(started.pid()));
    }

    // ---- helpers

    static List<ExecWrapper> wrappers() {
        return Wrappers.all();
    }

    private RunningProcess start(ExecWrapper wrapper, Duration killGrace, Path tool) throws IOException {
        started = new SubprocessLauncher(killGrace, wrapper, SAMPLER, SWEEPER)
                .start(new LaunchSpec(tool, List.of(), dir, Map.of(), dir.resolve("attempt.log"), null));
        return started;
    }

    private ProcessOutcome run(String body) throws Exception {
        RunningProcess process = startScript(body, LONG_GRACE);
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> process.await(null));
    }

    private RunningProcess startScript(String body, Duration killGrace) throws IOException {
        Path tool = Procs.script(dir, "tool", body);
        started = new SubprocessLauncher(killGrace, DEFAULT_WRAPPER, SAMPLER, SWEEPER)
                .start(new LaunchSpec(tool, List.of(), dir, Map.of(), dir.resolve("attempt.log"), null));
        return started;
    }

    private RunningProcess start(LaunchSpec spec) throws IOException {
        started = new SubprocessLauncher(LONG_GRACE, DEFAULT_WRAPPER, SAMPLER, SWEEPER).start(spec);
        return started;
    }

    private RunningProcess startOnThreadThatEnds(SubprocessLauncher launcher, Path tool) throws Exception {
        RunningProcess[] holder = new RunningProcess[1];
        Exception[] failure = new Exception[1];
        Thread starter = new Thread(() -> {
            try {
                holder[0] = launcher.start(new LaunchSpec(tool, List.of(), dir, Map.of(), dir.resolve("a.log"), null));
                awaitFile("ready");
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        starter.start();
        starter.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return holder[0];
    }

    private void awaitFile(String name) {
        await().atMost(GONE_WITHIN).until(() -> Files.exists(dir.resolve(name)));
    }

    private static void assertGroupGone(long pgid, long child) {
        await().atMost(GONE_WITHIN).untilAsserted(() -> {
            assertFalse(Procs.running(pgid), "the tool " + pgid + " still runs");
            assertFalse(Procs.running(child), "its child " + child + " still runs");
            assertEquals(List.of(), Procs.runningMembers(pgid));
        });
    }
}
