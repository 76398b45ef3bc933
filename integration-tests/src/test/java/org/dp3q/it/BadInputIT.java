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
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** Bad input never crashes a worker and never vanishes; submit never publishes half a file. */
class BadInputIT extends RealBrokerTest {

    @Test
    void malformed_messages_land_in_the_failed_queue_as_invalid_and_the_worker_carries_on() throws Exception {
        WorkerProcess worker = startWorker("w1", 1, "--max-task-bytes", "4096");
        awaitConsumers(1);
        String oversize = "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":8,\"args\":[\"" + "x".repeat(5000) + "\"]}";
        List<String> bodies = List.of(
                "this is not json",
                "[1,2,3]",
                "{\"schema\":\"dp3q.task/9\",\"batch\":\"bad\",\"chunk\":1,\"args\":[]}",
                "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":2}",
                "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":3,\"args\":[],\"tool\":\"rm\"}",
                "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":4,\"args\":[],\"workdir\":\"relative/dir\"}",
                "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":5,\"args\":[],\"workdir\":\"/no/such/dir\"}",
                "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":6,\"args\":[],\"env\":{\"A B\":\"1\"}}",
                "{\"schema\":\"dp3q.task/1\",\"batch\":\"bad\",\"chunk\":7,\"args\":[\"a\\u0000b\"]}",
                oversize);
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < bodies.size(); i++) {
                channel.basicPublish("dp3q.tasks", "default", true,
                        new AMQP.BasicProperties.Builder().deliveryMode(2).messageId("raw-" + i).build(),
                        bodies.get(i).getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> queueCounts("dp3q.failed")[0] == bodies.size());
        Cli.Result failed = cli().run("failed", "--json");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        List<JsonNode> records = failed.stdout().lines().map(BatchRunIT.RealJson::parse).toList();
        assertThat(records).hasSize(bodies.size());
        assertThat(records).allSatisfy(r -> assertThat(r.get("reason").asText()).isEqualTo("invalid"));
        assertThat(records).extracting(r -> r.get("body").asText()).containsExactlyElementsOf(bodies);
        assertThat(records.get(0).get("message").asText()).contains("not JSON");
        assertThat(records.get(2).get("message").asText()).contains("unknown message schema");
        assertThat(records.get(4).get("message").asText()).contains("tool 'rm' is not allowed");
        assertThat(records.get(6).get("message").asText()).contains("/no/such/dir");
        assertThat(records.get(9).get("message").asText()).contains("over the limit of 4096 bytes");
        assertThat(records.get(3).get("batch").asText()).isEqualTo("bad");
        assertThat(records.get(3).get("chunk").asInt()).isEqualTo(2);

        assertThat(worker.isAlive()).isTrue();
        Cli.Result submit = cli().run("submit", "--batch", "after", "--chunks", "1", "--ntimes", "1");
        assertThat(submit.exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "after", "--timeout", "60s").exitCode()).isZero();
    }

    @Test
    void submit_rejects_an_invalid_file_whole_with_line_numbers_and_publishes_nothing() throws Exception {
        String lines = String.join("\n",
                "{\"batch\":\"half\",\"chunk\":0,\"args\":[]}",
                "not json at all",
                "{\"batch\":\"half\",\"chunk\":-2,\"args\":[]}",
                "{\"batch\":\"half\",\"chunk\":3,\"args\":[],\"tool\":\"/bin/rm\"}",
                "{\"batch\":\"half\",\"chunk\":4,\"args\":[]}");
        Cli.Result submit = cli().runWithInput(lines, "submit", "-");
        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(2);
        assertThat(submit.stderr()).contains("line 2", "nothing published");

        Cli.Result schemaErrors = cli().runWithInput(lines.replace("not json at all", ""), "submit", "-");
        assertThat(schemaErrors.exitCode()).isEqualTo(2);
        assertThat(schemaErrors.stderr()).contains("line 3", "line 4", "chunk", "tool");

        assertThat(cli().run("topology").exitCode()).isZero();
        assertThat(queueCounts("dp3q.tasks.default")[0]).isZero();
        Cli.Result status = cli().run("status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        // the answer is there (pools listed) and names no batch 'half'
        assertThat(status.stdout()).contains("\"pools\"", "\"batches\"").doesNotContain("\"half\"");
    }
}
