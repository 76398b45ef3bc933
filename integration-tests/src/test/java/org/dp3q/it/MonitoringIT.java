package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** A worker's /health and Prometheus metrics, for the lab's monitoring. */
class MonitoringIT extends RealBrokerTest {

    @Test
    void health_and_prometheus_metrics_report_tasks_by_outcome_and_subprocess_cpu() throws Exception {
        // any free port, chosen by the worker as it binds: no window in which another process takes it
        WorkerProcess worker = startWorker("monitored", 2, "--http-port", "-1");
        awaitConsumers(2);
        Matcher bound = Pattern.compile("health on http://localhost:(\\d+)/health").matcher(worker.output());
        assertThat(bound.find()).as(worker.output()).isTrue();
        int port = Integer.parseInt(bound.group(1));
        String lines = "{\"batch\":\"m\",\"chunk\":0,\"args\":[\"standin.burn=1\"]}\n"
                + "{\"batch\":\"m\",\"chunk\":1,\"args\":[]}\n"
                + "{\"batch\":\"m\",\"chunk\":2,\"args\":[\"standin.exit=3\"]}";
        assertThat(cli().runWithInput(lines, "submit", "-").exitCode()).isZero();
        // chunk 2 fails fast: given back once (the node might be at fault), then failed for good
        assertThat(cli().run("wait", "--batch", "m", "--progress", "none", "--timeout", "60s").exitCode()).isEqualTo(1);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"connected\":true", "****");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("dp3q_tasks_total{outcome=\"succeeded\"} 2.0", "dp3q_tasks_total{outcome=\"failed\"} 1.0",
                    "dp3q_tasks_total{outcome=\"returned\"} 1.0", "dp3q_slots 2.0", "dp3q_broker_connected 1.0",
                    "dp3q_attempt_duration_seconds_count 4", "dp3q_quarantined 0.0", "dp3q_slots_consuming 2.0");
            double cpu = Double.parseDouble(metrics.lines().filter(l -> l.startsWith("dp3q_subprocess_cpu_seconds_total"))
                    .findFirst().orElseThrow().split(" ")[1]);
            assertThat(cpu).as("CPU of the burning stand-in, however busy the machine").isGreaterThan(0.0);
        });
    }
}
