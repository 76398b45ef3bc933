package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.DeathWatch;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.Processes;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2 when the worker freezes rather than dies (SIGSTOP; a paused VM or a swap storm does the same): its
 * JVM sends no heartbeat, the broker drops the connection and hands the chunk to another worker. The tool's
 * guardian, outside the JVM, must have killed the frozen copy by then. Short heartbeats make the broker quick.
 */
class FrozenWorkerIT extends RealBrokerTest {

    @Test
    void a_frozen_workers_run_is_killed_before_the_broker_hands_its_chunk_to_another_worker() throws Exception {
        // heartbeat 4 s: the broker drops a silent connection 4-12 s after the freeze; the guard default is 2 s
        String uri = brokerUri + "?heartbeat=4";
        WorkerProcess frozen = startWorkerOn(uri, Map.of(), "frozen", 1);
        awaitConsumers(1);
        assertThat(frozen.output()).as("a guardian needs dp3q-exec: build with a C compiler")
                .contains("each subprocess is guarded: killed after 2000 ms");
        String once = workDir.resolve("frozen.slept").toString();
        submitLines("{\"batch\":\"frozen\",\"chunk\":0,\"args\":[\"chunk=0\",\"standin.sleep=60\",\"standin.sleep-once=" + once + "\"]}");
        StandinRecord.Run first = awaitRuns("0", 1).get(0);
        assertThat(first.workerPid()).isEqualTo(frozen.pid());
        // mid-chunk: the worker has recorded the start (a freeze just before that is covered as well)
        await().atMost(Duration.ofSeconds(10)).until(() -> frozen.output().contains("started task frozen/0"));

        try (DeathWatch deaths = new DeathWatch(() -> List.of(first.pid()))) {
            long frozenAt = WorkerProcess.epochNanos();
            signal("STOP", frozen.pid());
            try {
                WorkerProcess second = startWorkerOn(uri, Map.of(), "second", 1);
                StandinRecord.Run rerun = awaitRuns("0", 2).get(1);
                Cli.Result wait = cli().run("wait", "--batch", "frozen", "--timeout", "60s");
                assertThat(wait.exitCode()).as(wait.toString()).isZero();

                Long firstEnd = deaths.deathNs(first.pid());
                assertThat(firstEnd).as("the frozen worker's run still ran when its chunk ran again").isNotNull();
                assertThat(record().runsPer("chunk")).containsEntry("0", 2L);
                assertThat(firstEnd).as("the two runs of the chunk overlapped").isLessThan(rerun.startNs());
                assertThat(runsOf("0").get(1)).satisfies(run -> {
                    assertThat(run.workerPid()).isEqualTo(second.pid());
                    assertThat(run.finished()).isTrue();
                    assertThat(run.exitCode()).isZero();
                });
                assertThat(EventLog.read(brokerUri, "frozen").of("frozen/0", EventType.SUCCEEDED)).singleElement()
                        .satisfies(e -> assertThat(e.worker().pid()).isEqualTo(second.pid()));
                System.out.printf("frozen worker: its run killed %d ms after the freeze; the chunk ran again on another"
                        + " worker %d ms after the freeze%n", (firstEnd - frozenAt) / 1_000_000,
                        (rerun.startNs() - frozenAt) / 1_000_000);
            } finally {
                signal("CONT", frozen.pid());
            }
        }
        // whichever the resumed worker notices first, the guardian's record or the dropped connection
        await().atMost(Duration.ofSeconds(30)).until(() -> frozen.output().contains("its guardian killed it while this worker was frozen"));
        assertThat(frozen.output()).contains("no ping from the worker", "--guard-timeout 2.0 s",
                "task frozen/0 (batch frozen chunk 0): its guardian killed it while this worker was frozen")
                .doesNotContain("handed back to the queue");
        assertThat(frozen.isAlive()).isTrue();
    }

    @Test
    void a_worker_frozen_past_its_guard_timeout_but_not_its_heartbeat_hands_the_task_back_and_says_why()
            throws Exception {
        // heartbeat 8 s: the broker keeps the connection for at least 8 s of silence; the guard kills after 4 s
        String uri = brokerUri + "?heartbeat=8";
        WorkerProcess worker = startWorkerOn(uri, Map.of(), "paused", 1);
        awaitConsumers(1);
        String once = workDir.resolve("paused.slept").toString();
        submitLines("{\"batch\":\"paused\",\"chunk\":0,\"args\":[\"chunk=p0\",\"standin.sleep=60\",\"standin.sleep-once=" + once + "\"]}");
        StandinRecord.Run first = awaitRuns("p0", 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.output().contains("started task paused/0"));

        signal("STOP", worker.pid());
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> !Processes.alive(first.pid()));
        } finally {
            signal("CONT", worker.pid());
        }
        Cli.Result wait = cli().run("wait", "--batch", "paused", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();

        // the worker killed the run itself (its guardian did): handed back without spending the delivery limit
        List<Event> handedBack = EventLog.read(brokerUri, "paused").of("paused/0", EventType.RETURNED);
        assertThat(handedBack).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.DELIVERY_LOST);
            assertThat(e.message()).contains("guardian killed the subprocess group", "--guard-timeout 4.0 s");
            assertThat(e.signal()).isEqualTo(9);
        });
        List<StandinRecord.Run> runs = runsOf("p0");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).workerPid()).as("handed back, and taken again by the same worker").isEqualTo(worker.pid());
        assertThat(runs.get(1).exitCode()).isZero();
        assertThat(worker.output()).contains("its guardian killed it while this worker was frozen",
                "returned task paused/0 (batch paused chunk 0 attempt 1)");
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        // the shell's own kill: no procps needed
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + name + " " + pid).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + pid + " failed");
        }
    }
}
