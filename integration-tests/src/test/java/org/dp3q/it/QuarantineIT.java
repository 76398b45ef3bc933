package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * A node that fails everything fast takes itself out instead of eating the queue: its failures go back uncounted,
 * it stops consuming and says so; a chunk that fails fast everywhere still ends failed.
 */
class QuarantineIT extends RealBrokerTest {
    private static final Pattern HEALTH_PORT = Pattern.compile("health on http://localhost:(\\d+)/health");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_worker_whose_log_directory_is_full_quarantines_itself_and_the_batch_succeeds_on_the_healthy_one()
            throws Exception {
        Path full = Files.createDirectories(workDir.resolve("full-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", full.toString()) == 0,
                "mounting a tmpfs needs root");
        try {
            WorkerProcess broken = startWorker("broken", 1, "--log-dir", full.toString(), "--http-port", "-1");
            awaitConsumers(1);
            // the disk fills up under the running worker
            run("dd", "if=/dev/zero", "of=" + full.resolve("filler"), "bs=64k");
            startWorker("healthy", 2);
            awaitConsumers(3);

            Cli.Result submit = cli().run("submit", "--batch", "node", "--chunks", "100", "--ntimes", "1",
                    "--arg", "chunk=n{chunk}", "--arg", "standin.sleep=0.2");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            Cli.Result wait = cli().run("wait", "--batch", "node", "--timeout", "240s", "--progress", "none");
            assertThat(wait.exitCode()).as(wait.toString()).isZero();
            Cli.Result failed = cli().run("failed", "--batch", "node", "--json");
            assertThat(failed.exitCode()).as(failed.toString()).isZero();
            assertThat(failed.stdout()).as("nothing of the batch failed").isBlank();

            EventLog events = EventLog.read(brokerUri, "node");
            List<Event> onBroken = events.all().stream()
                    .filter(e -> e.worker() != null && "broken".equals(e.worker().tag())).toList();
            List<Event> failedThere = onBroken.stream()
                    .filter(e -> e.event() == EventType.RETURNED && e.reason() == Reason.FAILED_FAST).toList();
            assertThat(failedThere).as("at most the quarantine threshold of attempts failed there").isNotEmpty()
                    .hasSizeLessThanOrEqualTo(3);
            assertThat(onBroken).noneMatch(e -> e.event() == EventType.FAILED || e.event() == EventType.SUCCEEDED);
            assertThat(events.all().stream().filter(e -> e.event() == EventType.SUCCEEDED).count()).isEqualTo(100);

            String output = broken.output();
            assertThat(Pattern.compile("quarantined for").matcher(output).results().count()).as("logged once").isEqualTo(1);
            assertThat(output).contains("No space left on device");
            Cli.Result status = cli().run("status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("quarantined", "a tool could not be started");

            Matcher port = HEALTH_PORT.matcher(output);
            assertThat(port.find()).as(output).isTrue();
            String base = "http://127.0.0.1:" + port.group(1);
            HttpResponse<String> health = get(base + "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            assertThat(health.body()).contains("\"quarantined\":true", "No space left on device");
            assertThat(get(base + "/prometheus").body()).contains("dp3q_quarantined 1.0");
        } finally {
            run("umount", "-l", full.toString());
        }
    }

    @Test
    void a_chunk_that_fails_fast_everywhere_still_ends_failed() throws Exception {
        startWorker("one", 1);
        startWorker("two", 1);
        awaitConsumers(2);
        submitLines("{\"batch\":\"bad-input\",\"chunk\":0,\"chunks\":2,\"args\":[\"chunk=b0\",\"standin.exit=2\"]}\n"
                + "{\"batch\":\"bad-input\",\"chunk\":1,\"chunks\":2,\"args\":[\"chunk=b1\"]}");
        Cli.Result wait = cli().run("wait", "--batch", "bad-input", "--timeout", "60s", "--progress", "none");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(1);
        assertThat(wait.stdout()).contains("chunk 0 (bad-input/0)");

        assertThat(runsOf("b0")).as("once suspected, once confirmed").hasSize(2);
        EventLog events = EventLog.read(brokerUri, "bad-input");
        assertThat(events.of("bad-input/0", EventType.RETURNED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.FAILED_FAST));
        assertThat(events.of("bad-input/0", EventType.FAILED)).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.EXIT);
            assertThat(e.attempt()).as("the suspected run was not counted").isEqualTo(1);
        });
        Cli.Result failed = cli().run("failed", "--batch", "bad-input", "--json");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        assertThat(failed.stdout().lines().toList()).singleElement().asString().contains("\"reason\":\"exit\"");
    }

    @Test
    void with_exit_on_quarantine_a_broken_worker_exits_5_and_leaves_its_task_queued_uncounted() throws Exception {
        Path tool = PreemptionIT.phasedTool("breaks", 0, "", "");
        WorkerProcess breaking = startWorker("breaking", 1, "--tool", "BREAKS=" + tool, "--quarantine-after", "1",
                "--exit-on-quarantine");
        awaitConsumers(1);
        // the module the tool needs vanishes from under the running worker
        Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        submitLines("{\"batch\":\"exits\",\"chunk\":0,\"chunks\":1,\"tool\":\"BREAKS\",\"args\":[\"chunk=e0\"]}");

        assertThat(breaking.waitForExit(60)).as("exit code of a worker quarantined with --exit-on-quarantine").isEqualTo(5);
        assertThat(queueCounts("dp3q.tasks.default")[0]).as("the task waits for a sound node").isEqualTo(1);
        Cli.Result failed = cli().run("failed", "--batch", "exits", "--json");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        assertThat(failed.stdout()).isBlank();
        EventLog events = EventLog.read(brokerUri, "exits");
        assertThat(events.of("exits/0", EventType.RETURNED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.FAILED_FAST));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }
}
