package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dp3q.broker.topology.Topology;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 4 for a poison task, one whose run kills its worker every time: the quorum queue's delivery
 * limit ends the loop, the dead letter is moved to the failed queue with reason delivery-limit, and the
 * batch's barrier ends with exit 1 instead of waiting forever.
 */
class PoisonTaskIT extends RealBrokerTest {

    @Test
    void a_task_that_kills_its_worker_every_time_is_dead_lettered_after_the_delivery_limit_and_recorded_failed()
            throws Exception {
        // published the way a Python pipeline would, so the exact bytes are known
        String poison = "{\"schema\":\"dp3q.task/1\",\"id\":\"poison/0\",\"batch\":\"poison\",\"chunk\":0,\"chunks\":2,"
                + "\"args\":[\"chunk=p0\", \"standin.kill-parent=1\"]}";
        String healthy = "{\"schema\":\"dp3q.task/1\",\"id\":\"poison/1\",\"batch\":\"poison\",\"chunk\":1,\"chunks\":2,"
                + "\"args\":[\"chunk=p1\"]}";
        publish(poison, healthy);
        Cli.Running wait = cli().start(null, "wait", "--batch", "poison", "--progress", "none");

        // a supervisor (systemd, SLURM, a shell loop) restarts the worker the poison task keeps killing
        AtomicInteger restarts = new AtomicInteger();
        WorkerProcess[] worker = {startWorker("victim", 1)};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!worker[0].isAlive()) {
                restarts.incrementAndGet();
                worker[0] = startWorker("victim", 1);
            }
            return queueCounts(Topology.FAILED_QUEUE)[0] == 1 && queueCounts(Topology.DEAD_LETTER_QUEUE)[0] == 0;
        });

        Cli.Result waited = wait.await(60);
        assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(1);
        assertThat(waited.stdout()).contains("chunk 0 (poison/0): delivery-limit").doesNotContain("chunk 1 (poison/1)");

        long poisonRuns = record().runsPer("chunk").get("p0");
        assertThat(poisonRuns).isEqualTo(Topology.DELIVERY_LIMIT + 1);
        assertThat(restarts.get()).isEqualTo(Topology.DELIVERY_LIMIT + 1);
        assertThat(record().runsPer("chunk")).containsEntry("p1", 1L);

        Cli.Result failed = cli().run("failed", "--batch", "poison", "--json");
        List<JsonNode> records = failed.stdout().lines().map(BatchRunIT.RealJson::parse).toList();
        assertThat(records).hasSize(1);
        JsonNode record = records.get(0);
        assertThat(record.get("reason").asText()).isEqualTo("delivery-limit");
        assertThat(record.get("chunk").asInt()).isZero();
        assertThat(record.get("message").asText()).contains("x-delivery-limit=" + Topology.DELIVERY_LIMIT);
        assertThat(record.get("body").asText()).isEqualTo(poison);
        assertThat(worker[0].isAlive()).isTrue();
    }

    private static void publish(String... bodies) throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            Topology.declare(channel, List.of(Topology.DEFAULT_POOL));
            channel.confirmSelect();
            for (String body : bodies) {
                String id = BatchRunIT.RealJson.parse(body).get("id").asText();
                channel.basicPublish(Topology.TASKS_EXCHANGE, Topology.DEFAULT_POOL, true,
                        new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").messageId(id)
                                .build(), body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }
    }
}
