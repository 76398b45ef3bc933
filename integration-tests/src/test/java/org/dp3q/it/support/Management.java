package org.dp3q.it.support;

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
import java.util.LinkedHashMap;
import java.util.Map;

/** The RabbitMQ management HTTP API, for what tests set up, observe and break. */
public final class Management {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BrokerEndpoint broker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public Management(BrokerEndpoint broker) {
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

    /** Takes the test user's permissions on {@code vhost} away: its clients cannot connect there until {@link #allowAccess}. */
    public void denyAccess(String vhost) throws IOException, InterruptedException {
        send("DELETE", "/api/permissions/" + enc(vhost) + "/" + enc(broker.user()), null);
    }

    public void allowAccess(String vhost) throws IOException, InterruptedException {
        send("PUT", "/api/permissions/" + enc(vhost) + "/" + enc(broker.user()),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    }

    /** A user with these permission patterns on {@code vhost} only. */
    public void createUser(String vhost, String user, String password, String configure, String write, String read)
            throws IOException, InterruptedException {
        send("PUT", "/api/users/" + enc(user), MAPPER.createObjectNode().put("password", password).put("tags", "").toString());
        send("PUT", "/api/permissions/" + enc(vhost) + "/" + enc(user), MAPPER.createObjectNode().put("configure", configure)
                .put("write", write).put("read", read).toString());
    }

    public void deleteUser(String user) throws IOException, InterruptedException {
        send("DELETE", "/api/users/" + enc(user), null);
    }

    public void deleteVhost(String vhost) throws IOException, InterruptedException {
        send("DELETE", "/api/vhosts/" + enc(vhost), null);
    }

    /** Ready plus unacked messages and the consumer count of a queue, as the broker last reported them. */
    public record QueueCounts(long ready, long unacked, long consumers) {
    }

    public QueueCounts queue(String vhost, String queue) throws IOException, InterruptedException {
        JsonNode q = get("/api/queues/" + enc(vhost) + "/" + enc(queue));
        return new QueueCounts(q.path("messages_ready").asLong(), q.path("messages_unacknowledged").asLong(),
                q.path("consumers").asLong());
    }

    /**
     * The client connections open on a vhost, by the name each client gave itself (the broker's own name when it gave
     * none). The API lists a connection only after its first statistics tick, up to 5 s after it opened.
     */
    public Map<String, String> connections(String vhost) throws IOException, InterruptedException {
        Map<String, String> byClientName = new LinkedHashMap<>();
        for (JsonNode c : get("/api/vhosts/" + enc(vhost) + "/connections")) {
            String name = c.path("name").asText();
            byClientName.put(c.path("user_provided_name").asText(name), name);
        }
        return byClientName;
    }

    /** Force-closes a client connection, as a network failure or an operator would. */
    public void closeConnection(String name) throws IOException, InterruptedException {
        send("DELETE", "/api/connections/" + enc(name), null);
    }

    /** Sets a policy on the vhost's queues matching {@code pattern}; {@code definition} is a JSON object. */
    public void setPolicy(String vhost, String name, String pattern, String definition) throws IOException, InterruptedException {
        send("PUT", "/api/policies/" + enc(vhost) + "/" + enc(name), "{\"pattern\":" + MAPPER.writeValueAsString(pattern)
                + ",\"apply-to\":\"queues\",\"priority\":100,\"definition\":" + definition + "}");
    }

    public void deletePolicy(String vhost, String name) throws IOException, InterruptedException {
        send("DELETE", "/api/policies/" + enc(vhost) + "/" + enc(name), null);
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
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
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
