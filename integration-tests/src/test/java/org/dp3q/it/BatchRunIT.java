package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.Test;

/** The core path end to end: publish a batch upfront, run it on prefetch-1 slots, wait on the barrier. */
class BatchRunIT extends RealBrokerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void two_workers_with_two_slots_run_every_chunk_exactly_once_and_never_more_than_four_at_once() throws Exception {
        startWorker("w1", 2);
        startWorker("w2", 2);
        awaitConsumers(4);

        Cli.Result submit = cli().run("submit", "--batch", "sixty", "--chunks", "60", "--ntimes", "75", "--first-slot", "300",
                "--arg", "msin=obs.ms", "--arg", "chunk={chunk}", "--arg", "standin.sleep=0.05",
                "--arg", "solve.h5parm=out_{chunk}.h5");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Cli.Result wait = cli().run("wait", "--batch", "sixty", "--progress", "lines");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();

        StandinRecord record = record();
        Map<String, Long> runsPerChunk = record.runsPer("chunk");
        assertThat(runsPerChunk).hasSize(60);
        assertThat(runsPerChunk.values()).allMatch(n -> n == 1);
        assertThat(record.maxConcurrent()).isLessThanOrEqualTo(4);
        assertThat(record.maxConcurrentPerWorker()).isLessThanOrEqualTo(2);
        StandinRecord.Run chunk7 = record.runs().stream().filter(r -> r.arg("chunk").orElse("").equals("7")).findFirst().orElseThrow();
        assertThat(chunk7.args()).containsExactly("msin=obs.ms", "chunk=7", "standin.sleep=0.05", "solve.h5parm=out_7.h5",
                "msin.starttimeslot=825", "msin.ntimes=75");
    }

    @Test
    void a_batch_of_several_event_blocks_is_queued_whole_with_one_submitted_event_per_task() throws Exception {
        int chunks = 12_001;  // submit records events in blocks of 5000 while it publishes the tasks of earlier blocks

        // a pool of its own: no worker of this class consumes it, the other tests find their queue empty
        Cli.Result submit = cli().run("submit", "--batch", "large", "--pool", "bulk", "--chunks", Integer.toString(chunks),
                "--ntimes", "10", "--arg", "msin=obs.ms");

        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        assertThat(submit.stderr()).contains(chunks + " task(s) of batch(es) large accepted");
        assertThat(queueCounts(Topology.taskQueue("bulk"))[0]).isEqualTo(chunks);
        List<Event> submitted = EventLog.read(brokerUri, "large").all().stream()
                .filter(e -> e.event() == EventType.SUBMITTED).toList();
        assertThat(submitted).hasSize(chunks);
        assertThat(submitted.stream().map(Event::chunk).distinct().count()).isEqualTo(chunks);
    }

    @Test
    void a_batch_with_two_failing_chunks_makes_wait_exit_1_and_failed_lists_exactly_those_two() throws Exception {
        startWorker("w1", 2);
        awaitConsumers(2);
        String lines = String.join("\n", IntStream.range(0, 10).mapToObj(i -> {
            boolean fails = i == 3 || i == 7;
            return "{\"batch\":\"twofail\",\"chunk\":" + i + ",\"args\":[\"tchunk=" + i + "\""
                    + (fails ? ",\"standin.exit=5\",\"standin.stderr=cannot open sky model " + i + "\"" : "") + "]}";
        }).toList());

        assertThat(cli().runWithInput(lines, "submit", "-").exitCode()).isZero();
        Cli.Result wait = cli().run("wait", "--batch", "twofail", "--progress", "none");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(1);
        assertThat(wait.stdout()).contains("chunk 3 (twofail/3)", "chunk 7 (twofail/7)", "dp3q replay --batch twofail");

        Cli.Result failed = cli().run("failed", "--batch", "twofail", "--json");
        assertThat(failed.exitCode()).isZero();
        List<JsonNode> records = failed.stdout().lines().map(RealJson::parse).toList();
        assertThat(records).extracting(r -> r.get("chunk").asInt()).containsExactlyInAnyOrder(3, 7);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.get("reason").asText()).isEqualTo("exit");
            assertThat(r.get("exit_code").asInt()).isEqualTo(5);
            assertThat(r.get("stderr_tail").asText()).contains("cannot open sky model " + r.get("chunk").asInt());
            assertThat(r.get("log").asText()).endsWith(".log");
            assertThat(JSON.readTree(r.get("body").asText()).get("batch").asText()).isEqualTo("twofail");
        });
    }

    /** Parses one JSON line. */
    static final class RealJson {
        static JsonNode parse(String line) {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
    }
}
