package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.Processes;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2, the broker half: a slot whose delivery is taken back kills its subprocess group at once
 * (the broker may already have handed the chunk to someone else), says why, and consumes again by itself.
 */
class DeliveryLossIT extends RealBrokerTest {

    @Test
    void a_closed_connection_kills_the_running_subprocess_group_and_the_worker_reconnects_and_reruns_the_chunk()
            throws Exception {
        WorkerProcess worker = startWorker("drop", 1);
        awaitConsumers(1);
        String once = workDir.resolve("drop.slept").toString();
        submitLines("{\"batch\":\"drop\",\"chunk\":0,\"args\":[\"chunk=0\",\"standin.sleep=60\",\"standin.sleep-once=" + once + "\"]}");
        StandinRecord.Run run = awaitRuns("0", 1).get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> liveStandins().size() >= 2);

        long closedAt = closeConnectionsOf(worker);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> !Processes.alive(run.pid()));
        long toolGoneMs = (WorkerProcess.epochNanos() - closedAt) / 1_000_000;
        // the tool's own children go with its group, by a kill command the worker starts
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> liveStandins().isEmpty());
        long goneAt = WorkerProcess.epochNanos();
        long groupGoneMs = (goneAt - closedAt) / 1_000_000;

        StandinRecord.Run rerun = awaitRuns("0", 2).get(1);
        long rerunAfterMs = (rerun.startNs() - closedAt) / 1_000_000;
        Cli.Result wait = cli().run("wait", "--batch", "drop", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(worker.isAlive()).isTrue();
        assertThat(worker.output()).contains("lost the delivery", "killing its subprocess group");
        assertThat(record().runsPer("chunk")).containsEntry("0", 2L);
        assertThat(record().overlapsPer("chunk", killed -> goneAt)).isZero();
        System.out.printf("connection drop: subprocess gone %d ms and its whole group %d ms after the close; chunk ran"
                + " again after %d ms%n", toolGoneMs, groupGoneMs, rerunAfterMs);
    }

    @Test
    void a_consumer_cancelled_by_the_broker_kills_the_subprocess_and_the_slot_subscribes_again() throws Exception {
        WorkerProcess worker = startWorker("cancel", 1);
        awaitConsumers(1);
        submitLines("{\"batch\":\"cancelled\",\"chunk\":0,\"args\":[\"chunk=c0\",\"standin.sleep=60\"]}");
        StandinRecord.Run run = awaitRuns("c0", 1).get(0);

        // deleting the queue cancels its consumers (and drops the task: this test's own doing)
        deleteTaskQueue();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> !Processes.alive(run.pid()));
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.output().contains("consuming dp3q.tasks.default again"));
        assertThat(worker.output()).contains("the broker cancelled the consumer");

        submitLines("{\"batch\":\"after-cancel\",\"chunk\":0,\"args\":[\"chunk=c1\"]}");
        Cli.Result wait = cli().run("wait", "--batch", "after-cancel", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(liveStandins()).isEmpty();
    }

    private static void deleteTaskQueue() throws Exception {
        try (var connection = connect(); var channel = connection.createChannel()) {
            channel.queueDelete("dp3q.tasks.default");
        }
    }
}
