package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.DashboardProcess;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/** The dashboard is safe to leave running: token, loopback by default, read-only, no password shown. */
class DashboardSecurityIT extends RealBrokerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_bind_reachable_from_other_machines_without_a_token_refuses_to_start() throws Exception {
        Cli.Result result = cli().run("dashboard", "--bind", "0.0.0.0", "--port", "0");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains("--bind 0.0.0.0", "--token");
    }

    @Test
    void with_a_token_every_request_without_it_gets_401() throws Exception {
        Path tokenFile = Files.writeString(workDir.resolve("token"), "t0k3n-for-the-test\n");
        try (DashboardProcess dashboard = DashboardProcess.start(cli(), "--port", "0", "--bind", "0.0.0.0",
                "--token-file", tokenFile.toString())) {
            URI base = URI.create("http://127.0.0.1:" + dashboard.url().getPort() + "/");
            for (String path : new String[] {"", "assets/dashboard.js", "api/overview", "api/batch?name=x",
                    "api/log?task=x/1", "no/such/page"}) {
                assertThat(get(base.resolve(path), null).statusCode()).as(path).isEqualTo(401);
                assertThat(get(base.resolve(path), "wrong").statusCode()).as(path).isEqualTo(401);
            }
            assertThat(post(base.resolve("api/actions/cancel?batch=b"), null).statusCode()).isEqualTo(401);

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("?token=t0k3n-for-the-test")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            String cookie = page.headers().firstValue("set-cookie").orElseThrow();
            assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
            HttpResponse<String> withCookie = http.send(HttpRequest.newBuilder(base.resolve("api/overview"))
                    .header("Cookie", cookie.split(";")[0]).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withCookie.statusCode()).isEqualTo(200);
            HttpResponse<String> overview = get(base.resolve("api/overview"), "t0k3n-for-the-test");
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("\"broker\":\"amqp://").doesNotContain(":guest@")
                    .doesNotContain("t0k3n");
        }
    }

    @Test
    void a_read_only_dashboard_refuses_an_action_sent_by_hand() throws Exception {
        try (DashboardProcess dashboard = DashboardProcess.start(cli(), "--port", "0", "--read-only")) {
            HttpResponse<String> cancel = post(dashboard.url().resolve("api/actions/cancel?batch=b"), null);
            assertThat(cancel.statusCode()).isEqualTo(403);
            assertThat(cancel.body()).contains("read-only");
            assertThat(post(dashboard.url().resolve("api/actions/replay?batch=b"), null).statusCode()).isEqualTo(403);
            assertThat(get(dashboard.url().resolve("api/overview"), null).body()).contains("\"read_only\":true");
        }
    }

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                .header("X-Dp3q-Action", "1");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
