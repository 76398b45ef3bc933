package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.EventType;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * A worker rehearses a slot's path through the broker before it consumes, and the rehearsal leaves nothing a user
 * would meet: no event, no failed record, no queue, no line of its tasks in the log. The first real chunks then run
 * as ever.
 */
class SlotRehearsalIT extends RealBrokerTest {
    @Test
    void a_worker_rehearses_through_the_broker_and_leaves_no_record_no_queue_and_no_log_line() throws Exception {
        WorkerProcess worker = startWorker("rehearser", 1);
        awaitConsumers(1);
        await("the warm-up's line").atMost(Duration.ofSeconds(30))
                .until(() -> worker.output().contains("warmed the task path"));
        assertThat(worker.output()).as("it rehearsed every task through the broker")
                .contains("(60 decodes, 30 tasks through the broker)")
                .doesNotContain("dp3q-rehearsal", "no rehearsal");
        assertThat(queueNames()).as("the scratch queues are deleted").allMatch(name -> name.startsWith("dp3q."));
        await("the rehearsal's guardian gone").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(guardiansOf(worker)).as("one guardian: the slot's, none left by the rehearsal").isEqualTo(1));

        submitLines("{\"batch\":\"after\",\"chunk\":0,\"chunks\":2,\"args\":[\"chunk=a0\"]}\n"
                + "{\"batch\":\"after\",\"chunk\":1,\"chunks\":2,\"args\":[\"chunk=a1\"]}");
        Cli.Result wait = cli().run("wait", "--batch", "after", "--timeout", "60s", "--progress", "none");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();

        assertThat(EventLog.read(brokerUri, "after").of("after/0", EventType.SUCCEEDED)).as("the reader sees events")
                .hasSize(1);
        assertThat(EventLog.read(brokerUri, "dp3q-rehearsal").all()).as("no event of the rehearsal").isEmpty();
        assertThat(queueCounts(Topology.FAILED_QUEUE)[0]).as("no failed record").isZero();
        Cli.Result status = cli().run("status", "--batch", "dp3q-rehearsal");
        assertThat(status.exitCode()).as("no batch of the rehearsal is indexed: " + status).isEqualTo(2);
        assertThat(status.stderr()).contains("nothing is known of batch dp3q-rehearsal");
        assertThat(runsOf("a0")).hasSize(1);
        assertThat(runsOf("a1")).hasSize(1);
    }

    private static long guardiansOf(WorkerProcess worker) {
        return ProcessHandle.of(worker.pid()).orElseThrow().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().command().orElse("").contains("dp3q-exec")).count();
    }

    private static List<String> queueNames() throws Exception {
        List<String> names = new ArrayList<>();
        JsonNode queues = management.get("/api/queues/"
                + java.net.URLEncoder.encode(vhost, java.nio.charset.StandardCharsets.UTF_8));
        queues.forEach(queue -> names.add(queue.get("name").asText()));
        return names;
    }
}
