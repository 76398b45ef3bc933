package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker whose clock is 5 minutes off (run under libfaketime, as a lab machine without working NTP) shows as
 * running in status, with its skew named, and the batch it runs is found and finished by wait.
 */
class ClockSkewIT extends RealBrokerTest {
    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"-5m", "+5m"})
    void a_worker_whose_clock_is_off_shows_as_running_and_its_batch_completes(String offset) throws Exception {
        Assumptions.assumeTrue(Files.exists(FAKETIME), "libfaketime is installed (.ci/run installs faketime)");
        String batch = "skew" + (offset.startsWith("-") ? "-behind" : "-ahead");
        startWorkerOn(brokerUri, Map.of("LD_PRELOAD", FAKETIME.toString(), "FAKETIME", offset,
                "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0"), "skewed", 2, "--announce-every", "1s");
        awaitConsumers(2);
        Cli.Result submit = cli().run("submit", "--batch", batch, "--chunks", "2", "--ntimes", "10",
                "--arg", "standin.sleep=15");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Cli.Result status = cli().run("status", "--json");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            JsonNode parsed = JSON.readTree(status.stdout());
            assertThat(parsed.get("workers")).anySatisfy(w -> {
                assertThat(w.get("tag").asText()).isEqualTo("skewed");
                assertThat(w.get("state").asText()).isEqualTo("running");
                long skew = w.get("clock_skew_s").asLong();
                assertThat(Math.abs(skew)).isBetween(240L, 360L);
                assertThat(skew > 0).isEqualTo(offset.startsWith("+"));
            });
            assertThat(parsed.get("running")).hasSize(2).allSatisfy(r ->
                    assertThat(r.get("running_for_s").asLong()).isBetween(0L, 60L));
        });
        Cli.Result table = cli().run("status");
        assertThat(table.stdout()).contains("the clock of worker", offset.startsWith("-") ? "behind" : "ahead of");

        Cli.Result wait = cli().run("wait", "--batch", batch, "--progress", "none", "--timeout", "90s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(wait.stdout()).contains("all 2 tasks succeeded");
    }
}
