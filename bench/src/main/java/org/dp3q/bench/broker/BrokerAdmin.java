package org.dp3q.bench.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The RabbitMQ management HTTP API: vhosts for the runs, versions for the report, queue totals. */
public final class BrokerAdmin {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BrokerAddress broker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public BrokerAdmin(BrokerAddress broker) {
        this.broker = broker;
    }

    public JsonNode overview() throws IOException, InterruptedException {
        return get("/api/overview");
    }

    public void createVhost(String vhost) throws IOException, InterruptedException {
        send("PUT", "/api/vhosts/" + enc(vhost), "{}");
        send("PUT", "/api/permissions/" + enc(vhost) + "/" + enc(broker.user()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    }

    public void deleteVhost(String vhost) throws IOException, InterruptedException {
        send("DELETE", "/api/vhosts/" + enc(vhost), null);
    }

    /** Ready plus unacked messages of a queue, as the management database last saw them (it lags by seconds). */
    public long messages(String vhost, String queue) throws IOException, InterruptedException {
        return get("/api/queues/" + enc(vhost) + "/" + enc(queue)).path("messages").asLong(-1);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    private void send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> response = http.send(request(path).method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300 && response.statusCode() != 404) {
            throw new IOException(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        String auth = Base64.getEncoder().encodeToString((broker.user() + ":" + broker.password())
                .getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(broker.managementUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
