package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.Processes;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2, the crash half: a worker killed with {@code kill -9} takes its subprocess with it, the chunk
 * runs again on another worker, and the worker's next start kills what the subprocess itself had started.
 */
class WorkerCrashIT extends RealBrokerTest {

    @Test
    void a_killed_workers_guardian_kills_the_whole_group_at_once_and_the_chunk_runs_once_elsewhere() throws Exception {
        WorkerProcess first = startWorker("guarded-a", 1);
        awaitConsumers(1);
        String once = workDir.resolve("guarded.slept").toString();
        submitLines("{\"batch\":\"guarded\",\"chunk\":0,\"args\":[\"chunk=g0\",\"standin.sleep=60\",\"standin.sleep-once="
                + once + "\"]}");
        StandinRecord.Run run = awaitRuns("g0", 1).get(0);
        assertThat(run.workerPid()).isEqualTo(first.pid());
        await().atMost(Duration.ofSeconds(5)).until(() -> liveStandins().size() >= 2);

        WorkerProcess second = startWorker("guarded-b", 1);
        awaitConsumers(2);
        long killedAt = WorkerProcess.epochNanos();
        first.kill9();
        // the worker's end closes the guardian's ping pipe: it kills the group, the stand-in's own child included
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> liveStandins().isEmpty());
        long groupGoneMs = (WorkerProcess.epochNanos() - killedAt) / 1_000_000;

        StandinRecord.Run rerun = awaitRuns("g0", 2).get(1);
        assertThat(rerun.workerPid()).isEqualTo(second.pid());
        assertThat(rerun.startNs()).isGreaterThan(killedAt);
        Cli.Result wait = cli().run("wait", "--batch", "guarded", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(runsOf("g0")).hasSize(2);
        System.out.printf("kill -9 with a guardian: the whole group gone %d ms after the kill%n", groupGoneMs);
    }

    /** Without a guardian ({@code --guard-timeout 0}) the parent-death signal reaches the tool, not its children. */
    @Test
    void a_killed_workers_subprocess_dies_at_once_its_chunk_runs_once_elsewhere_and_the_restart_reaps_leftovers()
            throws Exception {
        WorkerProcess first = startWorker("crash-a", 1, "--guard-timeout", "0");
        awaitConsumers(1);
        String once = workDir.resolve("crash.slept").toString();
        String task = "{\"batch\":\"crash\",\"chunk\":0,\"args\":[\"chunk=0\",\"standin.sleep=60\",\"standin.sleep-once="
                + once + "\"]}";
        assertThat(cli().runWithInput(task, "submit", "-").exitCode()).isZero();
        awaitRuns("0", 1);
        StandinRecord.Run run = runsOf("0").get(0);
        assertThat(run.workerPid()).isEqualTo(first.pid());
        // the stand-in's own child (sleep) is what pdeathsig cannot reach
        await().atMost(Duration.ofSeconds(5)).until(() -> liveStandins().size() >= 2);

        WorkerProcess second = startWorker("crash-b", 1, "--guard-timeout", "0");
        awaitConsumers(2);
        long killedAt = WorkerProcess.epochNanos();
        first.kill9();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> !Processes.alive(run.pid()));
        long orphanGoneMs = (WorkerProcess.epochNanos() - killedAt) / 1_000_000;

        StandinRecord.Run rerun = awaitRuns("0", 2).get(1);
        assertThat(rerun.workerPid()).isEqualTo(second.pid());
        assertThat(rerun.startNs()).isGreaterThan(killedAt);
        long rerunAfterMs = (rerun.startNs() - killedAt) / 1_000_000;
        Cli.Result wait = cli().run("wait", "--batch", "crash", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();

        List<Long> leftovers = liveStandins();
        assertThat(leftovers).as("the killed stand-in's child outlives it until the worker comes back").hasSize(1);
        long restartAt = System.nanoTime();
        WorkerProcess restarted = startWorker("crash-a", 1, "--guard-timeout", "0");
        await().atMost(Duration.ofSeconds(30)).until(() -> liveStandins().isEmpty());
        long reapedAfterMs = (System.nanoTime() - restartAt) / 1_000_000;
        await().atMost(Duration.ofSeconds(10)).until(() -> restarted.output().contains("left by task"));

        assertThat(record().runsPer("chunk")).containsEntry("0", 2L);
        assertThat(runsOf("0").get(1).finished()).isTrue();
        System.out.printf("kill -9: stand-in gone %d ms after the kill; chunk ran again after %d ms; leftover child"
                + " reaped %d ms after the worker restarted%n", orphanGoneMs, rerunAfterMs, reapedAfterMs);
    }
}
