package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.dp3q.broker.topology.Topology;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.Processes;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** A malformed record on the control stream is skipped with one log line; cancels keep working. */
class ControlGarbageIT extends RealBrokerTest {
    private static final List<String> GARBAGE = List.of(
            "not json at all",
            "[1, 2, 3]",
            "{\"schema\":\"dp3q.control/1\",\"command\":\"cancel\",\"batch\":\"other\",\"time\":\"yesterday\"}",
            "{\"schema\":\"dp3q.control/1\",\"command\":{\"nested\":true},\"batch\":7}");

    @Test
    void garbage_before_and_after_a_worker_starts_leaves_cancel_working() throws Exception {
        publishGarbage();
        WorkerProcess worker = startWorker("listener", 1);
        awaitConsumers(1);
        publishGarbage();
        submitLines("{\"batch\":\"victim\",\"chunk\":0,\"chunks\":1,\"args\":[\"chunk=v0\",\"standin.sleep=60\"]}");
        StandinRecord.Run run = awaitRuns("v0", 1).get(0);

        Cli.Result cancel = cli().run("cancel", "--batch", "victim");
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !Processes.alive(run.pid()));
        Cli.Result wait = cli().run("wait", "--batch", "victim", "--timeout", "30s", "--progress", "none");
        assertThat(wait.exitCode()).as("cancelled: " + wait).isEqualTo(4);

        String output = worker.output();
        long told = output.lines().filter(l -> l.contains("skipping an unreadable record")).count();
        assertThat(told).as("each bad record is told once, with its offset").isEqualTo(2L * GARBAGE.size());
        assertThat(output).contains("at offset ");
        assertThat(worker.isAlive()).isTrue();
    }

    private static void publishGarbage() throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            Topology.declare(channel, List.of(Topology.DEFAULT_POOL));
            channel.confirmSelect();
            for (String body : GARBAGE) {
                channel.basicPublish(Topology.CONTROL_EXCHANGE, "", true,
                        new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }
    }
}
