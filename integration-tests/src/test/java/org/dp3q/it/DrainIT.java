package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.FreezableLink;
import org.dp3q.it.support.Processes;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** Guarantee 6: SIGTERM stops taking tasks at once, lets running ones finish within --drain-timeout, exits 0. */
class DrainIT extends RealBrokerTest {

    @Test
    void sigterm_cancels_the_consumer_at_once_then_kills_and_requeues_what_outlives_the_drain_timeout() throws Exception {
        WorkerProcess draining = startWorker("drain-a", 2, "--drain-timeout", "2s", "--kill-grace", "1s");
        awaitConsumers(2);
        String once = workDir.resolve("drain.slept").toString();
        submitLines("{\"batch\":\"drain\",\"chunk\":0,\"chunks\":2,\"args\":[\"chunk=d0\",\"standin.sleep=60\","
                + "\"standin.sleep-once=" + once + "\"]}");
        StandinRecord.Run run = awaitRuns("d0", 1).get(0);

        long signalledAt = System.nanoTime();
        draining.terminate();
        // the idle slot's consumer goes at once (a quorum queue counts the busy one until its task is settled)
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> queueCounts("dp3q.tasks.default")[1] == 1);
        submitLines("{\"batch\":\"drain\",\"chunk\":1,\"chunks\":2,\"args\":[\"chunk=d1\"]}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> !Processes.alive(run.pid()));
        long killedAfterMs = (System.nanoTime() - signalledAt) / 1_000_000;
        assertThat(killedAfterMs).as("the subprocess had its drain timeout").isGreaterThanOrEqualTo(2_000);
        assertThat(draining.waitForExit(30)).isZero();
        assertThat(runsOf("d1")).as("a draining worker takes no new task").isEmpty();
        assertThat(queueCounts("dp3q.tasks.default")[0]).as("both chunks wait for another worker").isEqualTo(2);

        WorkerProcess other = startWorker("drain-b", 1);
        Cli.Result wait = cli().run("wait", "--batch", "drain", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        List<StandinRecord.Run> d0 = runsOf("d0");
        assertThat(d0).hasSize(2);
        assertThat(d0.get(1).workerPid()).isEqualTo(other.pid());
        assertThat(runsOf("d1")).singleElement().satisfies(r -> assertThat(r.workerPid()).isEqualTo(other.pid()));

        EventLog events = EventLog.read(brokerUri, "drain");
        List<Event> requeued = events.of("drain/0", EventType.RETURNED);
        assertThat(events.of("drain/0", EventType.RETRYING)).isEmpty();
        assertThat(requeued).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.DRAINED);
            assertThat(e.attempt()).isEqualTo(1);
        });
        // given back uncounted: the run after the drain is still attempt 1
        assertThat(events.of("drain/0", EventType.SUCCEEDED)).extracting(Event::attempt).containsExactly(1);
        System.out.printf("drain: consumer cancelled at once, subprocess killed %d ms after SIGTERM (drain timeout 2 s)%n",
                killedAfterMs);
    }

    @Test
    void a_task_that_finishes_within_the_drain_timeout_is_acked_normally_and_the_worker_exits_0() throws Exception {
        WorkerProcess draining = startWorker("drain-c", 1, "--drain-timeout", "30s");
        awaitConsumers(1);
        submitLines("{\"batch\":\"in-time\",\"chunk\":0,\"args\":[\"chunk=i0\",\"standin.sleep=3\"]}");
        StandinRecord.Run run = awaitRuns("i0", 1).get(0);

        long signalledAt = WorkerProcess.epochNanos();
        draining.terminate();
        assertThat(draining.waitForExit(30)).isZero();
        StandinRecord.Run finished = runsOf("i0").get(0);
        assertThat(finished.finished()).isTrue();
        assertThat(finished.exitCode()).isZero();
        assertThat(finished.endNs()).isGreaterThan(signalledAt);
        assertThat(queueCounts("dp3q.tasks.default")[0]).isZero();

        Cli.Result wait = cli().run("wait", "--batch", "in-time", "--timeout", "30s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        EventLog events = EventLog.read(brokerUri, "in-time");
        assertThat(events.of("in-time/0", EventType.SUCCEEDED)).singleElement()
                .satisfies(e -> assertThat(e.worker().pid()).isEqualTo(draining.pid()));
        assertThat(events.of("in-time/0", EventType.RETRYING)).isEmpty();
        assertThat(Processes.alive(run.pid())).isFalse();
    }

    @Test
    void sigterm_while_the_broker_does_not_answer_still_drains_within_the_drain_timeout() throws Exception {
        try (FreezableLink link = FreezableLink.to(broker)) {
            CutOff cut = chunkRunningBehind(link, "drain-cut", 2, "cut", "2s");
            long signalledAt = System.nanoTime();
            cut.worker().terminate();
            // stopping the consumers waits for no answer: the drain timeout runs from the signal, as always
            awaitGone(cut.run());
            long killedAfterMs = (System.nanoTime() - signalledAt) / 1_000_000;
            assertThat(killedAfterMs).as("the subprocess had its drain timeout").isGreaterThanOrEqualTo(2_000);
            int exit = cut.worker().waitForExit(60);
            long exitedAfterMs = (System.nanoTime() - signalledAt) / 1_000_000;
            // the drain timeout, then one deadline for all slots' outcomes (kill grace + 30 s), then the
            // connection's close (5 s): not once per slot, and not the client's 10-minute wait for an answer
            assertThat(exitedAfterMs).as("the worker stopped within its bound").isLessThan(2_000 + 1_000 + 30_000 + 5_000 + 7_000);
            link.close();

            Cli.Result wait = waitElsewhere("drain-after-cut", "cut");
            assertThat(wait.exitCode()).as(wait.toString()).isZero();
            assertThat(runsOf("c0")).hasSize(2);
            System.out.printf("drain with the broker silent: subprocess killed %d ms after SIGTERM (drain timeout 2 s),"
                    + " worker exited %d ms after it with %d%n", killedAfterMs, exitedAfterMs, exit);
        }
    }

    @Test
    void a_second_sigterm_while_the_broker_does_not_answer_stops_the_worker_without_waiting_for_it() throws Exception {
        try (FreezableLink link = FreezableLink.to(broker)) {
            CutOff cut = chunkRunningBehind(link, "drain-hurry", 1, "hurry", "1s");
            cut.worker().terminate();
            awaitGone(cut.run());
            // the worker now waits for the broker to take the outcome, which it never will
            long hurriedAt = System.nanoTime();
            cut.worker().terminate();
            assertThat(cut.worker().waitForExit(60)).isZero();
            long exitedAfterMs = (System.nanoTime() - hurriedAt) / 1_000_000;
            assertThat(exitedAfterMs).as("the second signal ended the wait").isLessThan(5_000);
            link.close();

            Cli.Result wait = waitElsewhere("drain-after-hurry", "hurry");
            assertThat(wait.exitCode()).as("the chunk came back: " + wait).isZero();
            System.out.printf("drain with the broker silent, a second SIGTERM: the worker exited %d ms after it%n",
                    exitedAfterMs);
        }
    }

    /** A worker behind a link that has just gone silent, and the run of its chunk. */
    private record CutOff(WorkerProcess worker, StandinRecord.Run run) {
    }

    /**
     * Starts a worker of {@code slots} slots behind {@code link} and a 60 s chunk of {@code batch} on it (its first
     * run only sleeps; its name is the batch's first letter and 0), then silences the link. A heartbeat of 60 s:
     * within a test the worker cannot learn from missed heartbeats that the broker is gone.
     */
    private CutOff chunkRunningBehind(FreezableLink link, String tag, int slots, String batch, String drainTimeout)
            throws Exception {
        WorkerProcess worker = startWorkerOn(link.uri(broker, vhost, "heartbeat=60"), Map.of(), tag, slots,
                "--drain-timeout", drainTimeout, "--kill-grace", "1s");
        awaitConsumers(slots);
        String chunk = batch.charAt(0) + "0";
        String once = workDir.resolve(batch + ".slept").toString();
        submitLines("{\"batch\":\"" + batch + "\",\"chunk\":0,\"args\":[\"chunk=" + chunk + "\",\"standin.sleep=60\","
                + "\"standin.sleep-once=" + once + "\"]}");
        StandinRecord.Run run = awaitRuns(chunk, 1).get(0);
        link.freeze();
        return new CutOff(worker, run);
    }

    private static void awaitGone(StandinRecord.Run run) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> !Processes.alive(run.pid()));
    }

    /** Once the link is closed the broker gives the unsettled chunk back: a fresh worker runs it, and wait ends. */
    private Cli.Result waitElsewhere(String tag, String batch) throws Exception {
        startWorker(tag, 1);
        return cli().run("wait", "--batch", batch, "--timeout", "60s");
    }
}
