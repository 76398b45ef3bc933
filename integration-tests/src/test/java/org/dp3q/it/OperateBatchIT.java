package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.event.EventStreamReader;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.Test;

/** Cancel, status, resume and the subprocess load Dask cannot see. */
class OperateBatchIT extends RealBrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper JSON_SNAKE = org.dp3q.codec.Json.MAPPER;

    @Test
    void cancel_kills_running_tasks_and_records_queued_ones_cancelled_without_running_them() throws Exception {
        startWorker("w1", 2);
        awaitConsumers(2);
        assertThat(cli().run("submit", "--batch", "wrong-parset", "--chunks", "8", "--ntimes", "10",
                "--arg", "cchunk={chunk}", "--arg", "standin.sleep=120").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> record().runs().size() == 2);

        Cli.Result cancel = cli().run("cancel", "--batch", "wrong-parset");
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        Cli.Result wait = cli().run("wait", "--batch", "wrong-parset", "--progress", "none", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(4);
        assertThat(wait.stdout()).contains("8 task(s) cancelled");

        assertThat(record().runs()).hasSize(2);
        for (StandinRecord.Run run : record().runs()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(run.pid()).isEmpty());
        }
        // a new submission of the same batch after the cancel runs
        assertThat(cli().run("submit", "--batch", "wrong-parset", "--chunks", "1", "--ntimes", "10").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "wrong-parset", "--expect", "8", "--progress", "none", "--timeout", "60s")
                .exitCode()).isEqualTo(4);
        assertThat(record().runs()).hasSize(3);
    }

    @Test
    void status_shows_what_each_slot_runs_and_its_cpu_and_memory() throws Exception {
        startWorker("busy-worker", 2, "--announce-every", "1s");
        awaitConsumers(2);
        assertThat(cli().run("submit", "--batch", "long", "--chunks", "2", "--ntimes", "10",
                "--arg", "standin.alloc_mb=64", "--arg", "standin.sleep=180").exitCode()).isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(cli().run("status", "--json").stdout());
            assertThat(status.get("workers")).anySatisfy(w -> {
                assertThat(w.get("tag").asText()).isEqualTo("busy-worker");
                assertThat(w.get("state").asText()).isEqualTo("running");
            });
            assertThat(status.get("running")).hasSize(2);
            assertThat(status.get("running")).allSatisfy(r -> {
                assertThat(r.get("batch").asText()).isEqualTo("long");
                assertThat(r.get("tag").asText()).isEqualTo("busy-worker");
            });
            assertThat(status.get("running")).extracting(r -> r.get("slot").asInt()).containsExactlyInAnyOrder(0, 1);
        });
        Cli.Result table = cli().run("status");
        assertThat(table.stdout()).contains("busy-worker", "RUNNING BATCH", "long");
        assertThat(cli().run("cancel", "--batch", "long").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "long", "--progress", "none", "--timeout", "60s").exitCode()).isEqualTo(4);
    }

    @Test
    void a_task_whose_outputs_exist_is_skipped_without_running() throws Exception {
        startWorker("w1", 1);
        awaitConsumers(1);
        Path done = Files.writeString(workDir.resolve("out_0.h5parm"), "solutions");
        String lines = "{\"batch\":\"resume\",\"chunk\":0,\"args\":[\"chunk=0\"],\"outputs\":[\"" + done
                + "\"],\"skip_if_outputs_exist\":true}\n"
                + "{\"batch\":\"resume\",\"chunk\":1,\"args\":[\"chunk=1\"],\"outputs\":[\"" + workDir.resolve("out_1.h5parm")
                + "\"],\"skip_if_outputs_exist\":true}";
        assertThat(cli().runWithInput(lines, "submit", "-").exitCode()).isZero();
        Cli.Result wait = cli().run("wait", "--batch", "resume", "--json");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        JsonNode summary = JSON.readTree(wait.stdout());
        assertThat(summary.get("skipped").asInt()).isEqualTo(1);
        assertThat(summary.get("succeeded").asInt()).isEqualTo(1);
        assertThat(record().runsPer("chunk")).containsOnlyKeys("1");
    }

    @Test
    void cpu_and_peak_memory_of_the_subprocess_tree_are_within_20_percent_of_what_it_really_used() throws Exception {
        startWorker("w1", 1);
        awaitConsumers(1);
        assertThat(cli().run("submit", "--batch", "load", "--chunks", "1", "--ntimes", "10",
                "--arg", "standin.burn=3", "--arg", "standin.alloc_mb=200").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "load", "--progress", "none", "--timeout", "60s").exitCode()).isZero();

        JsonNode succeeded = events("load").stream().filter(e -> e.get("event").asText().equals("succeeded"))
                .findFirst().orElseThrow();
        String log = Files.readString(Path.of(succeeded.get("log").asText()));
        Matcher measured = Pattern.compile("cpu-ms (\\d+)").matcher(log);
        assertThat(measured.find()).as(log).isTrue();
        long burnedMs = Long.parseLong(measured.group(1));
        assertThat(succeeded.get("cpu_ms").asLong()).isBetween((long) (burnedMs * 0.8), (long) (burnedMs * 1.2));
        long rssKb = succeeded.get("max_rss_kb").asLong();
        assertThat(rssKb).isBetween(200L * 1024, (long) (200 * 1024 * 1.2));
    }

    private List<JsonNode> events(String batch) throws Exception {
        List<JsonNode> events = new java.util.ArrayList<>();
        try (var connection = connect()) {
            // read up to a catch-up marker of our own: everything recorded before it has been read then
            CaughtUpRead.read(connection, "dp3q.events", "first", EventStreamReader.decoding(record -> true, event -> {
                if (batch.equals(event.batch())) {
                    events.add(JSON.valueToTree(JSON_SNAKE.convertValue(event, java.util.Map.class)));
                }
            }, marker -> { }));
        }
        return List.copyOf(events);
    }
}
