package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-batch reads, unknown batches and idempotent submit: submitting a batch again never runs a chunk twice at
 * once, judged by the stand-in's own start and end times, and wait never ends while a run is live.
 */
class BatchReadsIT extends RealBrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void submitting_a_running_batch_again_leaves_it_alone_and_runs_no_chunk_twice() throws Exception {
        startWorker("w1", 4);
        awaitConsumers(4);
        String[] submit = {"submit", "--batch", "again", "--chunks", "4", "--ntimes", "10", "--arg", "b=again", "--arg", "chunk={chunk}",
            "--arg", "standin.sleep=10"};
        assertThat(cli().run(submit).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs("again").size() >= 2);

        Cli.Result second = cli().run(submit);

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stderr()).contains("left 4 task(s) alone");
        Cli.Result wait = cli().run("wait", "--batch", "again", "--progress", "none", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(perChunk("again")).containsOnly(Map.entry("0", 1L), Map.entry("1", 1L), Map.entry("2", 1L),
                Map.entry("3", 1L));
    }

    @Test
    void submitting_again_before_any_start_leaves_the_queued_tasks_alone() throws Exception {
        String[] submit = {"submit", "--batch", "queued", "--chunks", "3", "--ntimes", "10", "--arg", "b=queued", "--arg", "chunk={chunk}"};
        assertThat(cli().run(submit).exitCode()).isZero();

        Cli.Result second = cli().run(submit);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stderr()).contains("left 3 task(s) alone");
        assertThat(queueCounts("dp3q.tasks.default")[0]).isEqualTo(3);

        startWorker("w1", 2);
        assertThat(cli().run("wait", "--batch", "queued", "--progress", "none", "--timeout", "60s").exitCode()).isZero();
        assertThat(perChunk("queued").values()).containsOnly(1L).hasSize(3);
    }

    @Test
    void a_file_of_two_batches_submitted_again_leaves_the_tasks_of_both_alone() throws Exception {
        // the batch a file names first is looked up while the file is read; the second the usual way
        java.nio.file.Path file = java.nio.file.Files.writeString(workDir.resolve("two-batches.jsonl"),
                "{\"batch\":\"first-of-two\",\"chunk\":0,\"args\":[\"b=first\"]}\n"
                        + "{\"batch\":\"first-of-two\",\"chunk\":1,\"args\":[\"b=first\"]}\n"
                        + "{\"batch\":\"second-of-two\",\"chunk\":0,\"args\":[\"b=second\"]}\n");
        Cli.Result first = cli().run("submit", file.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();

        Cli.Result again = cli().run("submit", file.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stderr()).contains("left 3 task(s) alone");
        assertThat(queueCounts("dp3q.tasks.default")[0]).isEqualTo(3);
    }

    @Test
    void a_live_task_that_differs_is_refused_and_replace_kills_its_copy_then_runs_the_new_one() throws Exception {
        startWorker("w1", 3);
        awaitConsumers(3);
        assertThat(cli().run("submit", "--batch", "fix", "--chunks", "3", "--ntimes", "10", "--arg", "b=fix", "--arg", "chunk={chunk}",
                "--arg", "standin.sleep=120", "--arg", "solve.mode=wrong").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs("fix").size() == 3);
        String[] fixed = {"submit", "--batch", "fix", "--chunks", "3", "--ntimes", "10", "--arg", "b=fix", "--arg", "chunk={chunk}",
            "--arg", "standin.sleep=1", "--arg", "solve.mode=right"};

        Cli.Result refused = cli().run(fixed);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("nothing published", "--replace", "fix/0", "fix/1", "fix/2");
        assertThat(queueCounts("dp3q.tasks.default")[0]).isZero();

        List<String> fixedReplace = new java.util.ArrayList<>(List.of(fixed));
        fixedReplace.add("--replace");
        Cli.Result replaced = cli().run(fixedReplace.toArray(String[]::new));
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        Cli.Result wait = cli().run("wait", "--batch", "fix", "--progress", "none", "--timeout", "90s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();

        List<StandinRecord.Run> runs = runs("fix");
        assertThat(runs).hasSize(6);
        assertThat(runs.stream().filter(r -> r.args().contains("solve.mode=right")))
                .hasSize(3).allMatch(StandinRecord.Run::finished);
        List<Event> events = EventLog.read(brokerUri, "fix").all();
        for (StandinRecord.Run old : runs.stream().filter(r -> r.args().contains("solve.mode=wrong")).toList()) {
            assertThat(old.finished()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(old.pid()).isEmpty());
        }
        // a killed copy ended at the latest when its worker recorded it superseded: no new copy started before
        assertThat(overlaps(runs, old -> supersededAt(events, old))).isZero();
    }

    @Test
    void after_exit_3_the_same_submit_publishes_only_what_was_not_accepted() throws Exception {
        // chunks 0-9 go to the default pool, 10-19 to a pool whose queue is over its length limit: a queue that is
        // over it when a publisher starts refuses all its publishes, so exactly those 10 are not accepted (a queue
        // that fills up while a submit publishes notices it only after a few more, which a test cannot count on)
        StringBuilder lines = new StringBuilder();
        for (int chunk = 0; chunk < 20; chunk++) {
            lines.append("{\"schema\":\"dp3q.task/1\",\"batch\":\"partly\",\"chunk\":").append(chunk)
                    .append(",\"chunks\":20,\"pool\":\"").append(chunk < 10 ? "default" : "full")
                    .append("\",\"args\":[\"b=partly\",\"chunk=").append(chunk).append("\"]}\n");
        }
        assertThat(cli().run("topology", "--pool", "default", "--pool", "full").exitCode()).isZero();
        management.setPolicy(vhost, "full", "^dp3q\\.tasks\\.full$", "{\"max-length\":1,\"overflow\":\"reject-publish\"}");
        await().atMost(Duration.ofSeconds(60)).until(BatchReadsIT::fullQueueRefuses);

        Cli.Result first = cli().runWithInput(lines.toString(), "submit", "-");

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(3);
        assertThat(first.stderr()).contains("did not accept 10 of 20", "partly/10", "partly/19").doesNotContain("partly/9,");
        assertThat(queueCounts("dp3q.tasks.default")[0]).isEqualTo(10);
        management.deletePolicy(vhost, "full");
        await().atMost(Duration.ofSeconds(30)).until(() -> !management.get("/api/queues/" + enc(vhost) + "/dp3q.tasks.full")
                .path("effective_policy_definition").has("max-length"));
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.queuePurge("dp3q.tasks.full");
        }

        Cli.Result again = cli().runWithInput(lines.toString(), "submit", "-");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stderr()).contains("left 10 task(s) alone", "10 task(s) of batch(es) partly accepted");
        assertThat(queueCounts("dp3q.tasks.default")[0]).isEqualTo(10);
        assertThat(queueCounts("dp3q.tasks.full")[0]).isEqualTo(10);
        startWorker("w1", 2);
        startWorker("w2", 1, "--pool", "full");
        Cli.Result wait = cli().run("wait", "--batch", "partly", "--progress", "none", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(perChunk("partly").values()).containsOnly(1L).hasSize(20);
    }

    @Test
    void wait_does_not_end_while_a_second_copy_of_a_task_still_runs() throws Exception {
        startWorker("w1", 2);
        awaitConsumers(2);
        Cli.Running wait = cli().start(null, "wait", "--batch", "dup", "--progress", "none", "--timeout", "90s");
        awaitConnected("wait dup");
        publishRaw("{\"schema\":\"dp3q.task/1\",\"id\":\"dup/0\",\"batch\":\"dup\",\"chunk\":0,\"chunks\":1,"
                + "\"args\":[\"b=dup\",\"chunk=0\",\"standin.sleep=3\"]}");
        await().atMost(Duration.ofSeconds(30)).until(() -> runs("dup").size() == 1);
        // a second copy, as a pipeline publishing with pika twice would make (dp3q submit would not), running
        // longer than the first: wait must not end when the first one succeeds
        publishRaw("{\"schema\":\"dp3q.task/1\",\"id\":\"dup/0\",\"batch\":\"dup\",\"chunk\":0,\"chunks\":1,"
                + "\"args\":[\"b=dup\",\"chunk=0\",\"standin.sleep=10\"]}");

        Cli.Result result = wait.await(90);
        long waitEndedNs = System.currentTimeMillis() * 1_000_000L;

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(runs("dup")).hasSize(2).allMatch(StandinRecord.Run::finished);
        long firstEnded = runs("dup").stream().mapToLong(StandinRecord.Run::endNs).min().orElseThrow();
        long secondEnded = runs("dup").stream().mapToLong(StandinRecord.Run::endNs).max().orElseThrow();
        assertThat(secondEnded - firstEnded).as("the copies end seconds apart").isGreaterThan(3_000_000_000L);
        assertThat(secondEnded).isLessThanOrEqualTo(waitEndedNs);
    }

    @Test
    void a_batch_opened_before_the_last_index_records_is_still_found_and_a_recent_one_too() throws Exception {
        startWorker("w1", 1);
        assertThat(cli().run("submit", "--batch", "long-ago", "--chunks", "1", "--ntimes", "10", "--arg", "b=long-ago").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "long-ago", "--progress", "none", "--timeout", "60s").exitCode()).isZero();
        // more batches opened since than a look-up reads first: it must go on to the whole index
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < 700; i++) {
                String other = "other-" + i;
                channel.basicPublish("dp3q.batches.in", "", new AMQP.BasicProperties.Builder().type("dp3q.batch-opened")
                        .contentType("application/json").headers(Map.of("dp3q-batch", other, "dp3q-events-offset", 0L)).build(),
                        ("{\"schema\":\"dp3q.batch/1\",\"batch\":\"" + other + "\",\"events_offset\":0,\"by\":\"submit\"}")
                                .getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        }
        assertThat(cli().run("submit", "--batch", "recent-one", "--chunks", "1", "--ntimes", "10", "--arg", "b=recent-one").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "recent-one", "--progress", "none", "--timeout", "60s").exitCode()).isZero();

        for (String batch : List.of("long-ago", "recent-one")) {
            Cli.Result status = cli().run("status", "--batch", batch, "--json");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(JSON.readTree(status.stdout()).get("batches")).anySatisfy(b -> {
                assertThat(b.get("batch").asText()).isEqualTo(batch);
                assertThat(b.toString()).contains("\"succeeded\":1");
            });
        }
    }

    @Test
    void wait_on_a_batch_nothing_is_known_of_says_so_and_exits_2_after_the_grace() throws Exception {
        Cli.Result wait = cli().run("wait", "--batch", "no-such-batch", "--grace", "2s", "--progress", "none");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(2);
        assertThat(wait.stderr()).contains("nothing is known of batch no-such-batch");

        Cli.Result status = cli().run("status", "--batch", "no-such-batch");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(2);
        assertThat(status.stderr()).contains("nothing is known of batch no-such-batch");
    }

    @Test
    void a_wait_started_before_its_submit_sees_the_batch() throws Exception {
        startWorker("w1", 1);
        Cli.Running wait = cli().start(null, "wait", "--batch", "early", "--progress", "none", "--timeout", "60s");
        awaitConnected("wait early");
        assertThat(cli().run("submit", "--batch", "early", "--chunks", "2", "--ntimes", "10", "--arg", "b=early").exitCode()).isZero();

        Cli.Result result = wait.await(60);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("all 2 tasks succeeded");
    }

    @Test
    void status_shows_the_batches_of_its_window() throws Exception {
        startWorker("w1", 1);
        assertThat(cli().run("submit", "--batch", "recent", "--chunks", "1", "--ntimes", "10", "--arg", "b=recent").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "recent", "--progress", "none", "--timeout", "60s").exitCode()).isZero();

        JsonNode status = JSON.readTree(cli().run("status", "--json").stdout());
        assertThat(status.get("batches")).anySatisfy(b -> assertThat(b.get("batch").asText()).isEqualTo("recent"));
        // a window that begins after the batch ended does not show it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Cli.Result narrow = cli().run("status", "--json", "--since", "1s");
            assertThat(narrow.exitCode()).isZero();
            assertThat(JSON.readTree(narrow.stdout()).get("batches")).isEmpty();
        });
    }

    @Test
    void garbage_on_the_streams_leaves_status_and_wait_working() throws Exception {
        startWorker("w1", 1, "--announce-every", "1s");
        awaitConsumers(1);
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            byte[] garbage = "\u0000not json {".getBytes(StandardCharsets.UTF_8);
            AMQP.BasicProperties ofBatch = new AMQP.BasicProperties.Builder().headers(Map.of("dp3q-batch", "sturdy")).build();
            channel.basicPublish("dp3q.workers.in", "", null, garbage);
            channel.basicPublish("dp3q.workers.in", "", null, "{\"host\":1}".getBytes(StandardCharsets.UTF_8));
            channel.basicPublish("dp3q.events.in", "", ofBatch, garbage);
            channel.basicPublish("dp3q.events.in", "", null, garbage);
            channel.basicPublish("dp3q.batches.in", "", ofBatch.builder().type("dp3q.batch-opened").build(), garbage);
            channel.waitForConfirmsOrDie(10_000);
        }
        assertThat(cli().run("submit", "--batch", "sturdy", "--chunks", "2", "--ntimes", "10", "--arg", "b=sturdy").exitCode()).isZero();

        Cli.Result wait = cli().run("wait", "--batch", "sturdy", "--progress", "none", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        Cli.Result status = cli().run("status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode parsed = JSON.readTree(status.stdout());
        assertThat(parsed.get("workers")).anySatisfy(w -> assertThat(w.get("tag").asText()).isEqualTo("w1"));
        assertThat(parsed.get("batches")).anySatisfy(b -> assertThat(b.get("batch").asText()).isEqualTo("sturdy"));
    }

    @BeforeEach
    void emptyTheTaskQueue() throws Exception {
        // tasks an earlier test of this class left queued (its worker was killed) must not take this test's slots
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.queuePurge("dp3q.tasks.default");
        } catch (java.io.IOException notDeclaredYet) {
            // nothing queued
        }
    }

    /** The stand-in runs of one batch's tasks (their args hold b=BATCH). */
    private static List<StandinRecord.Run> runs(String batch) {
        return record().runs().stream().filter(r -> r.arg("b").orElse("").equals(batch)).toList();
    }

    private static Map<String, Long> perChunk(String batch) {
        return runs(batch).stream().collect(java.util.stream.Collectors.groupingBy(r -> r.arg("chunk").orElse("?"),
                java.util.stream.Collectors.counting()));
    }

    private static long overlaps(List<StandinRecord.Run> runs, java.util.function.ToLongFunction<StandinRecord.Run> killedAt) {
        long overlaps = 0;
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                StandinRecord.Run a = runs.get(i);
                StandinRecord.Run b = runs.get(j);
                long aEnd = a.finished() ? a.endNs() : killedAt.applyAsLong(a);
                long bEnd = b.finished() ? b.endNs() : killedAt.applyAsLong(b);
                if (a.arg("chunk").equals(b.arg("chunk")) && a.startNs() < bEnd && b.startNs() < aEnd) {
                    overlaps++;
                }
            }
        }
        return overlaps;
    }

    private static long supersededAt(List<Event> events, StandinRecord.Run run) {
        String chunk = run.arg("chunk").orElseThrow();
        return events.stream().filter(e -> e.event() == EventType.CANCELLED && e.reason() == Reason.SUPERSEDED
                        && ("fix/" + chunk).equals(e.taskId()))
                .mapToLong(e -> java.time.Instant.parse(e.time()).toEpochMilli() * 1_000_000L).max().orElse(Long.MAX_VALUE);
    }

    private static void publishRaw(String task) throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("dp3q.tasks", "default", true, new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).messageId("dup/0").build(),
                    task.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /**
     * True once the pool {@code full}'s queue refused a message, published one at a time: it is then over its
     * length limit, and refuses every publish of a publisher that starts now. The messages it took stay in it.
     */
    private static boolean fullQueueRefuses() throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < 5; i++) {
                channel.basicPublish("", "dp3q.tasks.full", null, "filler".getBytes(StandardCharsets.UTF_8));
                if (!channel.waitForConfirms(10_000)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Waits until a dp3q command (its connection is named after it) is connected to the broker. */
    private static void awaitConnected(String command) {
        await().atMost(Duration.ofSeconds(30)).until(() -> management.get("/api/vhosts/" + enc(vhost) + "/connections")
                .findValuesAsText("connection_name").stream().anyMatch(name -> name.contains(command)));
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
