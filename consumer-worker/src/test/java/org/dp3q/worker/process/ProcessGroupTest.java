package org.dp3q.worker.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dp3q.worker.process.ProcessGroup.Signal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real process trees, started the way a slot starts a tool, signalled from the JVM and swept after their end. */
class ProcessGroupTest {
    private static final ProcSampler SAMPLER = new ProcSampler();
    private static final LeftoverSweeper SWEEPER = new LeftoverSweeper();
    private static final Duration SOON = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final List<Long> leaders = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        leaders.forEach(ProcessGroup::kill);
    }

    @AfterAll
    static void stopThreads() {
        SWEEPER.close();
        SAMPLER.close();
    }

    @Test
    void kill_reaches_a_child_that_made_a_process_group_of_its_own() throws Exception {
        // timeout(1) moves itself to a process group of its own, within the tool's session
        RunningProcess tool = start("timeout 1000 sleep 1000 &\necho $! > child.pid\ntouch ready\nwait");
        long child = awaitChild();
        assertNotEquals(tool.pid(), Procs.processGroup(child), "the child should lead a group of its own");

        assertTrue(ProcessGroup.kill(tool.pid()));

        assertFalse(Procs.running(tool.pid()));
        assertFalse(Procs.running(child));
        assertFalse(ProcessGroup.isAlive(tool.pid()));
    }

    @Test
    void term_reaches_the_tool_and_its_children() throws Exception {
        RunningProcess tool = start("sleep 1000 &\necho $! > child.pid\ntouch ready\nwait");
        long child = awaitChild();
        assertTrue(ProcessGroup.isAlive(tool.pid()));

        assertEquals(2, ProcessGroup.signal(tool.pid(), Signal.TERM));

        await().atMost(SOON).until(() -> !Procs.running(child) && !Procs.running(tool.pid()));
    }

    @Test
    void a_tree_that_forks_while_it_is_killed_is_killed_to_the_end() throws Exception {
        RunningProcess tool = start("(while :; do sleep 1000 & done) &\ntouch ready\nwait");
        await().atMost(SOON).until(() -> Files.exists(dir.resolve("ready")));

        assertTrue(ProcessGroup.kill(tool.pid()));

        assertEquals(List.of(), Procs.runningMembers(tool.pid()));
    }

    @Test
    void a_group_that_has_ended_is_killed_at_once() throws Exception {
        RunningProcess tool = start("exit 0");
        tool.await(null);

        assertTrue(ProcessGroup.kill(tool.pid()));
        assertEquals(0, ProcessGroup.signal(tool.pid(), Signal.KILL));
    }

    @Test
    void the_sweeper_kills_what_a_tool_left_behind_before_it_reports_the_group_gone() throws Exception {
        RunningProcess tool = start("sleep 1000 &\necho $! > child.pid\nexit 0");
        await().atMost(SOON).until(() -> !Procs.running(tool.pid()));
        long child = Procs.readPid(dir.resolve("child.pid"));
        assertTrue(Procs.running(child), "the tool's child should outlive it until swept");
        CompletableFuture<Boolean> childRanWhenGone = new CompletableFuture<>();

        SWEEPER.sweep(tool.pid(), () -> childRanWhenGone.complete(Procs.running(child)));

        assertFalse(childRanWhenGone.get(SOON.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void groups_that_end_together_are_all_swept() throws Exception {
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        List<Long> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path sub = Files.createDirectories(dir.resolve("tool" + i));
            RunningProcess tool = start(sub, "sleep 1000 &\necho $! > child.pid\nexit 0");
            await().atMost(SOON).until(() -> !Procs.running(tool.pid()));
            children.add(Procs.readPid(sub.resolve("child.pid")));
            CompletableFuture<Void> done = new CompletableFuture<>();
            gone.add(done);
            SWEEPER.sweep(tool.pid(), () -> done.complete(null));
        }

        CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)).get(SOON.toSeconds(), TimeUnit.SECONDS);

        children.forEach(child -> assertFalse(Procs.running(child), "child " + child + " still runs"));
    }

    private RunningProcess start(String body) throws IOException {
        return start(dir, body);
    }

    private RunningProcess start(Path in, String body) throws IOException {
        Path tool = Procs.script(in, "tool", body);
        RunningProcess started = new SubprocessLauncher(Duration.ofHours(1), Wrappers.preferred(), SAMPLER, SWEEPER)
                .start(new LaunchSpec(tool, List.of(), in, Map.of(), in.resolve("attempt.log"), null));
        leaders.add(started.pid());
        return started;
    }

    private long awaitChild() throws IOException {
        await().atMost(SOON).until(() -> Files.exists(dir.resolve("ready")));
        return Procs.readPid(dir.resolve("child.pid"));
    }
}
