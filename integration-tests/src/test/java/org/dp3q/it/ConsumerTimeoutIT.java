package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.OwnBroker;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * The broker's consumer_timeout takes a delivery back while its subprocess runs (a channel-level close the
 * client does not recover): the slot kills the group, names consumer_timeout as the cause, and opens a new
 * channel. A broker of its own, so the small timeout hits nobody else.
 */
@OwnBroker(consumerTimeoutMs = 3_000)
class ConsumerTimeoutIT extends RealBrokerTest {

    @Test
    void a_consumer_timeout_kills_the_subprocess_names_the_cause_and_the_slot_consumes_again() throws Exception {
        WorkerProcess worker = startWorker("timeout", 1);
        awaitConsumers(1);
        String once = workDir.resolve("long.slept").toString();
        Cli.Result submit = cli().runWithInput("{\"batch\":\"long\",\"chunk\":0,\"args\":[\"chunk=0\",\"standin.sleep=60\","
                + "\"standin.sleep-once=" + once + "\"]}", "submit", "-");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> record().runs().size() == 1);
        StandinRecord.Run run = record().runs().get(0);

        // 3 s consumer_timeout, checked every second
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> liveStandins().isEmpty());
        long goneAt = WorkerProcess.epochNanos();
        long ranForMs = (goneAt - run.startNs()) / 1_000_000;
        assertThat(worker.output()).contains("consumer_timeout expired", "killing its subprocess group");

        Cli.Result wait = cli().run("wait", "--batch", "long", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        List<StandinRecord.Run> runs = record().runs();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).workerPid()).as("the same worker, on a new channel").isEqualTo(worker.pid());
        assertThat(record().overlapsPer("chunk", killed -> goneAt)).isZero();
        assertThat(worker.output()).contains("consuming dp3q.tasks.default again");
        System.out.printf("consumer_timeout: subprocess killed %d ms after it started (timeout 3 s); chunk ran again"
                + " after %d ms%n", ranForMs, (runs.get(1).startNs() - goneAt) / 1_000_000);
    }
}
