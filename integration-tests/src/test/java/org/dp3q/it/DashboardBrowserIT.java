package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dp3q.it.support.Browser;
import org.dp3q.it.support.DashboardProcess;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/** The dashboard in a real headless chromium, while a batch runs on real workers. */
class DashboardBrowserIT extends RealBrokerTest {

    @Test
    void a_batch_runs_live_on_the_page_and_a_failed_chunk_is_read_fixed_and_replayed_from_it() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startWorker("w1", 1, "--http-port", Integer.toString(port));
        startWorker("w2", 1);
        awaitConsumers(2);
        Path skyModel = workDir.resolve("sky.skymodel");
        Path screenshot = Path.of("target", "dashboard-batch.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        try (DashboardProcess dashboard = DashboardProcess.start(cli(), "--port", "0")) {
            CompletableFuture<String> browser = CompletableFuture.supplyAsync(() -> {
                try {
                    return Browser.run(workDir, "batch-live.mjs", 240, dashboard.url().toString(), "live", "live/4",
                            skyModel.toString(), screenshot.toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the page is open before any task of the batch exists, so it sees every chunk from queued on
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(() ->
                    Files.list(workDir).anyMatch(p -> p.getFileName().toString().startsWith("node") && p.toString().endsWith(".err")
                            && readQuietly(p).contains("page open")));
            submitLines(IntStream.range(0, 6).mapToObj(i -> "{\"batch\":\"live\",\"chunk\":" + i + ",\"args\":[\"chunk=" + i
                    + "\",\"standin.sleep=2\"" + (i == 4 ? ",\"standin.require=" + skyModel + "\"" : "") + "]}")
                    .collect(Collectors.joining("\n")));
            JsonNode result = new ObjectMapper().readTree(browser.get());

            assertThat(result.get("reloaded").asBoolean()).isFalse();
            List<String> sawEveryStep = new ArrayList<>();
            result.get("states").fields().forEachRemaining(e -> {
                List<String> states = new ArrayList<>();
                e.getValue().forEach(s -> states.add(s.asText()));
                if (states.indexOf("submitted") >= 0 && states.indexOf("running") > states.indexOf("submitted")
                        && states.lastIndexOf("succeeded") > states.indexOf("running")) {
                    sawEveryStep.add(e.getKey());
                }
            });
            assertThat(sawEveryStep).as("chunks seen queued, then running, then succeeded: " + result.get("states"))
                    .hasSizeGreaterThanOrEqualTo(3);
            assertThat(result.get("states").get("live/4").toString()).contains("failed", "succeeded");
            assertThat(result.get("stderrTail").asText()).contains("cannot open " + skyModel);
            assertThat(result.get("detail").asText()).contains("live/4", "exit 2", "exit");
            assertThat(result.get("log").asText()).contains("DP3 stand-in: chunk=4", "cannot open " + skyModel);
            assertThat(result.get("lanes").asInt()).isGreaterThanOrEqualTo(7);
            assertThat(screenshot).exists().isNotEmptyFile();
        }
        assertThat(cli().run("wait", "--batch", "live", "--progress", "none").exitCode()).isZero();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
