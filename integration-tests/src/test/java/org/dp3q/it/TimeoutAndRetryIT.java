package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.Test;

/** {@code timeout_s} kills the process group (TERM, then KILL); {@code max_attempts} retries with backoff. */
class TimeoutAndRetryIT extends RealBrokerTest {

    @Test
    void a_task_past_its_timeout_that_ignores_sigterm_is_killed_after_the_grace_and_failed_with_reason_timeout()
            throws Exception {
        startWorker("timeout", 1, "--kill-grace", "2s");
        awaitConsumers(1);
        submitLines("{\"batch\":\"slow\",\"chunk\":0,\"timeout_s\":2,\"args\":[\"chunk=t0\",\"standin.sleep=120\","
                + "\"standin.ignore-term=1\"]}");

        Cli.Result wait = cli().run("wait", "--batch", "slow", "--timeout", "60s");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(1);
        JsonNode failed = onlyFailed("slow");
        assertThat(failed.get("reason").asText()).isEqualTo("timeout");
        assertThat(failed.get("message").asText()).contains("timeout_s=2");
        assertThat(failed.get("signal").asInt()).isEqualTo(9);

        Event ended = EventLog.read(brokerUri, "slow").of("slow/0", EventType.FAILED).get(0);
        // 2 s of timeout, then TERM was ignored for the 2 s grace, then KILL
        assertThat(ended.durationMs()).isBetween(3_900L, 9_000L);
        StandinRecord.Run run = runsOf("t0").get(0);
        assertThat(run.finished()).isFalse();
        assertThat(liveStandins()).as("the whole group, the ignoring child too, is gone").isEmpty();
    }

    @Test
    void a_failing_task_is_retried_with_growing_delays_and_only_its_last_failure_lands_in_the_failed_queue()
            throws Exception {
        startWorker("retry", 1, "--retry-delay", "1s", "--retry-max-delay", "5s",
                "--quarantine-after", "0"); // retries only: fast failures are not given back first
        awaitConsumers(1);
        String flaky = workDir.resolve("flaky.failed").toString();
        submitLines("{\"batch\":\"retry\",\"chunk\":0,\"max_attempts\":3,\"args\":[\"chunk=r0\",\"standin.exit=4\"]}\n"
                + "{\"batch\":\"retry\",\"chunk\":1,\"max_attempts\":2,\"args\":[\"chunk=r1\",\"standin.fail-once=" + flaky + "\"]}");

        Cli.Result wait = cli().run("wait", "--batch", "retry", "--timeout", "90s");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(1);
        assertThat(wait.stdout()).contains("chunk 0 (retry/0)").doesNotContain("chunk 1 (retry/1)");

        List<StandinRecord.Run> always = runsOf("r0");
        assertThat(always).hasSize(3);
        long firstGapMs = (always.get(1).startNs() - always.get(0).endNs()) / 1_000_000;
        long secondGapMs = (always.get(2).startNs() - always.get(1).endNs()) / 1_000_000;
        assertThat(firstGapMs).isGreaterThanOrEqualTo(1_000);
        assertThat(secondGapMs).isGreaterThanOrEqualTo(2_000);
        assertThat(runsOf("r1")).hasSize(2);
        assertThat(runsOf("r1").get(1).exitCode()).isZero();

        EventLog events = EventLog.read(brokerUri, "retry");
        List<Event> retrying = events.of("retry/0", EventType.RETRYING);
        assertThat(retrying).extracting(Event::attempt).containsExactly(1, 2);
        assertThat(retrying).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(Reason.EXIT);
            assertThat(e.exitCode()).isEqualTo(4);
        });
        assertThat(retrying.get(0).message()).contains("retrying in 1 s");
        assertThat(retrying.get(1).message()).contains("retrying in 2 s");
        assertThat(events.of("retry/0", EventType.FAILED)).extracting(Event::attempt).containsExactly(3);
        assertThat(events.of("retry/1", EventType.RETRYING)).extracting(Event::attempt).containsExactly(1);
        assertThat(events.of("retry/1", EventType.SUCCEEDED)).extracting(Event::attempt).containsExactly(2);

        JsonNode failed = onlyFailed("retry");
        assertThat(failed.get("chunk").asInt()).isZero();
        assertThat(failed.get("attempt").asInt()).isEqualTo(3);
        assertThat(failed.get("exit_code").asInt()).isEqualTo(4);
        assertThat(BatchRunIT.RealJson.parse(failed.get("body").asText()).get("max_attempts").asInt()).isEqualTo(3);
    }

    private JsonNode onlyFailed(String batch) throws Exception {
        Cli.Result failed = cli().run("failed", "--batch", batch, "--json");
        assertThat(failed.exitCode()).isZero();
        List<JsonNode> records = failed.stdout().lines().map(BatchRunIT.RealJson::parse).toList();
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
