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
import org.dp3q.it.support.ClaimsStream;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.DeathWatch;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.FreezableLink;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Claims instead of kills (docs/design/claims.md): a running chunk outlives its lost delivery while its claim is
 * renewed, the copy the broker hands out again waits and is settled without running, and no two runs of a chunk
 * ever overlap, judged by the stand-in's own times. Where the claim cannot be kept (the worker died, or lives on cut
 * off from the broker), the copy runs once the claim has lapsed, and the first run ended before that.
 */
class ClaimsIT extends RealBrokerTest {
    /** L = 30 s: renewed every 5 s, margin 5 s; an outage of up to 20 s is ridden through. */
    private static final String[] CLAIMS = {"--claim-lease", "30s"};

    @Test
    void the_claim_a_worker_rehearses_at_its_start_is_never_published() throws Exception {
        startWorker("r1", 1, CLAIMS);
        awaitConsumers(1);
        try (var connection = connect()) {
            // rehearsed for later and released at once: the claim would have been due a second after
            await("no claim on the rehearsal's task, past the time it would have been due")
                    .during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                    .until(() -> !ClaimsStream.claimedTasks(connection).contains("dp3q-rehearsal"));
        }
    }

    @Test
    void a_connection_dropped_and_refused_for_5_s_loses_no_compute_and_the_redelivered_copies_are_settled_unrun()
            throws Exception {
        WorkerProcess w1 = startWorker("c1", 1, CLAIMS);
        WorkerProcess w2 = startWorker("c2", 1, CLAIMS);
        submitLines(chunk("drop", 0, 14) + "\n" + chunk("drop", 1, 14));
        awaitRuns("drop0", 1);
        awaitRuns("drop1", 1);
        // a third worker, idle: the broker hands it the copies at once, and it must hold them
        WorkerProcess idle = startWorker("c3", 1, CLAIMS);
        awaitConsumers(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> w1.output().contains("started task") && w2.output().contains("started task"));
        awaitClaimed("drop/0", "drop/1");

        long droppedAt = WorkerProcess.epochNanos();
        management.denyAccess(vhost);
        closeConnectionsOf(w1, w2, idle);
        await().atMost(Duration.ofSeconds(10)).until(() -> w1.output().contains("goes on under its claim")
                && w2.output().contains("goes on under its claim"));
        TimeUnit.SECONDS.sleep(5); // the outage itself: reconnecting is refused meanwhile
        management.allowAccess(vhost);
        long restoredAt = WorkerProcess.epochNanos();

        Cli.Result wait = cli().run("wait", "--batch", "drop", "--timeout", "90s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        StandinRecord record = record();
        assertThat(record.runsPer("chunk")).as("each chunk ran once: no compute lost").containsEntry("drop0", 1L)
                .containsEntry("drop1", 1L);
        assertThat(runsOf("drop0", "drop1")).allSatisfy(run -> assertThat(run.finished() && run.exitCode() == 0)
                .as("run %s finished by itself", run).isTrue());
        await().atMost(Duration.ofSeconds(60)).until(() -> queueCounts("dp3q.tasks.default")[0] == 0
                && (w1.output() + w2.output() + idle.output()).split("settled task drop/", -1).length >= 3);
        // the idle worker may get a copy and hold it, or lose it with its own connection while judging it
        assertThat(idle.output()).doesNotContain("started task");
        assertThat(EventLog.read(brokerUri, "drop").of("drop/0", EventType.SUCCEEDED)).hasSize(1);
        assertThat(EventLog.read(brokerUri, "drop").of("drop/1", EventType.SUCCEEDED)).hasSize(1);
        long end = runsOf("drop0", "drop1").stream().mapToLong(StandinRecord.Run::endNs).max().orElseThrow();
        System.out.printf("connection drop, reconnection refused for 5 s: compute lost 0 s (2 chunks of 14 s ran once each);"
                + " batch done %d ms after the drop, %d ms after access came back%n", (end - droppedAt) / 1_000_000,
                (end - restoredAt) / 1_000_000);
    }

    @Test
    void a_worker_frozen_for_8_s_finishes_its_chunk_after_it_resumes_and_the_copy_another_worker_got_never_runs()
            throws Exception {
        // heartbeat 2 s: the broker drops the frozen worker's connection and hands the chunk out within seconds
        String uri = brokerUri + "?heartbeat=2";
        WorkerProcess frozen = startWorkerOn(uri, Map.of(), "f1", 1, CLAIMS);
        submitLines(chunk("frozen", 0, 16));
        StandinRecord.Run run = awaitRuns("frozen0", 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> frozen.output().contains("started task frozen/0"));
        WorkerProcess other = startWorkerOn(uri, Map.of(), "f2", 1, CLAIMS);
        awaitConsumers(2);
        awaitClaimed("frozen/0");
        signal("STOP", frozen.pid());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> other.output().contains("holding task frozen/0"));
            TimeUnit.SECONDS.sleep(Math.max(0, 8 - 4));
        } finally {
            signal("CONT", frozen.pid());
        }
        Cli.Result wait = cli().run("wait", "--batch", "frozen", "--timeout", "90s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(record().runsPer("chunk")).containsEntry("frozen0", 1L);
        assertThat(runsOf("frozen0").get(0)).satisfies(r -> {
            assertThat(r.pid()).isEqualTo(run.pid());
            assertThat(r.finished()).isTrue();
            assertThat(r.exitCode()).isZero();
        });
        // whichever slot gets the held copy back settles it
        await().atMost(Duration.ofSeconds(60)).until(() -> (other.output() + frozen.output()).contains("settled task frozen/0"));
        assertThat(other.output()).contains("holding task frozen/0").doesNotContain("started task frozen/0");
        assertThat(frozen.output()).contains("goes on under its claim", "recorded after its delivery was lost");
    }

    @Test
    void a_killed_workers_chunk_waits_for_its_claim_to_lapse_then_runs_once_elsewhere() throws Exception {
        String[] shortLease = {"--claim-lease", "8s"};
        WorkerProcess doomed = startWorker("k1", 1, shortLease);
        submitLines(chunk("killed", 0, 10));
        StandinRecord.Run first = awaitRuns("killed0", 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> doomed.output().contains("started task killed/0"));
        WorkerProcess heir = startWorker("k2", 1, shortLease);
        awaitConsumers(2);
        awaitClaimed("killed/0");
        try (DeathWatch deaths = new DeathWatch(() -> List.of(first.pid()))) {
            long killedAt = WorkerProcess.epochNanos();
            doomed.kill9();
            StandinRecord.Run rerun = awaitRuns("killed0", 2).get(1);
            Long firstEnd = deaths.deathNs(first.pid());
            assertThat(firstEnd).as("the killed worker's run died").isNotNull();
            assertThat(firstEnd).as("the two runs overlapped").isLessThan(rerun.startNs());
            assertThat(rerun.workerPid()).isEqualTo(heir.pid());
            assertThat(heir.output()).contains("holding task killed/0");
            Cli.Result wait = cli().run("wait", "--batch", "killed", "--timeout", "60s");
            assertThat(wait.exitCode()).as(wait.toString()).isZero();
            assertThat(record().runsPer("chunk")).containsEntry("killed0", 2L);
            // the copy started once its claim was judged first: its start tells readers no other run is alive
            assertThat(EventLog.read(brokerUri, "killed").of("killed/0", EventType.STARTED)).extracting(Event::soleRun)
                    .containsExactly(null, true);
            System.out.printf("killed worker: its run died %d ms after kill -9; the copy ran %d ms after it (lease 8 s)%n",
                    (firstEnd - killedAt) / 1_000_000, (rerun.startNs() - killedAt) / 1_000_000);
        }
    }

    @Test
    void a_worker_cut_off_without_a_word_ends_its_run_before_its_claim_lapses_and_the_copy_runs_after_it()
            throws Exception {
        String[] shortLease = {"--claim-lease", "8s"};
        try (FreezableLink link = FreezableLink.to(broker)) {
            // heartbeat 2 s: both sides give up on the silent link within seconds
            WorkerProcess cut = startWorkerOn(link.uri(broker, vhost, "heartbeat=2"), Map.of(), "p1", 1, shortLease);
            submitLines(chunk("partition", 0, 30));
            StandinRecord.Run first = awaitRuns("partition0", 1).get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> cut.output().contains("started task partition/0"));
            WorkerProcess heir = startWorker("p2", 1, shortLease);
            awaitConsumers(2);
            awaitClaimed("partition/0");
            try (DeathWatch deaths = new DeathWatch(() -> List.of(first.pid()))) {
                // a partition: no byte passes either way, nothing is closed; the cut-off worker keeps running
                long cutAt = WorkerProcess.epochNanos();
                link.freeze();
                StandinRecord.Run rerun = awaitRuns("partition0", 2, Duration.ofSeconds(60)).get(1);
                Long firstEnd = deaths.deathNs(first.pid());
                assertThat(firstEnd).as("the cut-off worker's run ended").isNotNull();
                assertThat(firstEnd).as("the two runs overlapped").isLessThan(rerun.startNs());
                assertThat(rerun.workerPid()).isEqualTo(heir.pid());
                assertThat(cut.isAlive()).as("the cut-off worker lives on, waiting for the broker").isTrue();
                Cli.Result wait = cli().run("wait", "--batch", "partition", "--timeout", "90s");
                assertThat(wait.exitCode()).as(wait.toString()).isZero();
                System.out.printf("partition: the cut-off worker's run ended %d ms after the link went silent; the copy"
                        + " ran %d ms after it (heartbeat 2 s, lease 8 s)%n", (firstEnd - cutAt) / 1_000_000,
                        (rerun.startNs() - cutAt) / 1_000_000);
            }
        }
    }

    /** A fresh run is claimed once it has run a second; until then it dies with its delivery. */
    private static void awaitClaimed(String... taskIds) {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            try (var connection = connect()) {
                return ClaimsStream.claimed(connection, taskIds);
            }
        });
    }

    private static List<StandinRecord.Run> runsOf(String... chunks) {
        return record().runs().stream().filter(r -> List.of(chunks).contains(r.arg("chunk").orElse(""))).toList();
    }

    private static String chunk(String batch, int chunk, int seconds) {
        return "{\"batch\":\"" + batch + "\",\"chunk\":" + chunk + ",\"args\":[\"chunk=" + batch + chunk
                + "\",\"standin.sleep=" + seconds + "\"]}";
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + name + " " + pid).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + pid + " failed");
        }
    }
}
