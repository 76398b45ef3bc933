package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dp3q.event.EventType;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.DashboardProcess;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/** The dashboard's cancel button does what dp3q cancel does: running chunks killed, queued ones not run. */
class DashboardActionsIT extends RealBrokerTest {

    @Test
    void cancel_from_the_dashboard_cancels_the_batch_like_dp3q_cancel() throws Exception {
        startWorker("w1", 1);
        awaitConsumers(1);
        submitLines(IntStream.range(0, 3).mapToObj(i -> "{\"batch\":\"stop\",\"chunk\":" + i
                + ",\"args\":[\"chunk=" + i + "\",\"standin.sleep=120\"]}").collect(Collectors.joining("\n")));
        await().atMost(Duration.ofSeconds(60)).until(() -> EventLog.read(brokerUri, "stop").all().stream()
                .anyMatch(e -> e.event() == EventType.STARTED));
        try (DashboardProcess dashboard = DashboardProcess.start(cli(), "--port", "0")) {
            HttpResponse<String> cancel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    dashboard.url().resolve("api/actions/cancel?batch=stop")).header("X-Dp3q-Action", "1")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        }
        Cli.Result wait = cli().run("wait", "--batch", "stop", "--progress", "none", "--timeout", "90s");
        assertThat(wait.exitCode()).as(wait.toString()).isEqualTo(4);
        assertThat(EventLog.read(brokerUri, "stop").all().stream().filter(e -> e.event() == EventType.CANCELLED)
                .map(org.dp3q.event.Event::taskId).distinct().count())
                .isEqualTo(3);
    }
}
