package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/** The overnight run with failed chunks: see why, fix the cause, replay exactly those, wait, merge. */
class ReplayIT extends RealBrokerTest {

    @Test
    void three_failed_chunks_are_listed_fixed_replayed_and_the_batch_then_succeeds() throws Exception {
        startWorker("w1", 2, "--quarantine-after", "0"); // failures counted plainly: each failing chunk runs once
        awaitConsumers(2);
        Path skyModel = workDir.resolve("sky.skymodel");
        String lines = String.join("\n", IntStream.range(0, 8).mapToObj(i -> "{\"batch\":\"night\",\"chunk\":" + i
                + ",\"args\":[\"chunk=" + i + "\"" + (i == 1 || i == 4 || i == 6 ? ",\"standin.require=" + skyModel + "\"" : "")
                + "]}").toList());
        assertThat(cli().runWithInput(lines, "submit", "-").exitCode()).isZero();
        Cli.Result firstWait = cli().run("wait", "--batch", "night", "--progress", "none");
        assertThat(firstWait.exitCode()).as(firstWait.toString()).isEqualTo(1);

        Cli.Result failed = cli().run("failed", "--batch", "night");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        assertThat(failed.stdout()).contains("cannot open " + skyModel, "3 failed task(s)");

        Files.writeString(skyModel, "sky model");
        Cli.Result replay = cli().run("replay", "--batch", "night");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.stdout()).contains("replayed 3 task(s)");

        Cli.Result secondWait = cli().run("wait", "--batch", "night", "--progress", "none");
        assertThat(secondWait.exitCode()).as(secondWait.toString()).isZero();
        Cli.Result none = cli().run("failed", "--batch", "night", "--json");
        assertThat(none.exitCode()).as(none.toString()).isZero();
        assertThat(none.stdout()).as("nothing of the batch is left in failed").isBlank();
        Cli.Result table = cli().run("failed", "--batch", "night");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout()).contains("no failed tasks");
        assertThat(record().runsPer("chunk")).containsEntry("1", 2L).containsEntry("4", 2L).containsEntry("6", 2L)
                .containsEntry("0", 1L);
    }

    @Test
    void replay_killed_midway_leaves_every_task_in_the_failed_queue_or_its_task_queue() throws Exception {
        int count = 300;
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            assertThat(cli().run("topology").exitCode()).isZero();
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                String body = "{\"schema\":\"dp3q.task/1\",\"id\":\"bulk/" + i + "\",\"batch\":\"bulk\",\"chunk\":" + i
                        + ",\"args\":[]}";
                channel.basicPublish("", "dp3q.failed", new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                        .deliveryMode(2).messageId("bulk/" + i).headers(java.util.Map.of("dp3q-batch", "bulk",
                                "dp3q-chunk", i, "dp3q-task-id", "bulk/" + i, "dp3q-reason", "exit")).build(),
                        body.getBytes());
            }
            channel.waitForConfirmsOrDie(30_000);
        }

        Cli.Running replay = cli().start(null, "replay", "--batch", "bulk");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> queueCounts("dp3q.tasks.default")[0] > 0);
        replay.process().destroyForcibly();
        replay.process().waitFor();

        Set<String> ids = new HashSet<>(peekIds("dp3q.failed"));
        ids.addAll(peekIds("dp3q.tasks.default"));
        assertThat(ids).hasSize(count);

        assertThat(cli().run("replay", "--batch", "bulk").exitCode()).isZero();
        assertThat(queueCounts("dp3q.failed")[0]).isZero();
        assertThat(new HashSet<>(peekIds("dp3q.tasks.default"))).hasSize(count);
    }

    private static List<String> peekIds(String queue) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        try (Connection connection = connect()) {
            Channel channel = connection.createChannel();
            GetResponse response;
            while ((response = channel.basicGet(queue, false)) != null) {
                JsonNode task = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody());
                ids.add(task.get("id").asText());
            }
            channel.close();
        }
        return ids;
    }
}
