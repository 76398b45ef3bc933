package org.dp3q.bench.broker;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The broker the benchmark uses: AMQP host, port and login, and its management API; each run gets its own vhost. */
public record BrokerAddress(String scheme, String host, int port, String user, String password, String managementUrl) {
    public static BrokerAddress parse(String amqpUri, String managementUrl) {
        URI uri = URI.create(amqpUri);
        String[] login = uri.getUserInfo() == null ? new String[] {"guest", "guest"} : uri.getUserInfo().split(":", 2);
        int port = uri.getPort() > 0 ? uri.getPort() : ("amqps".equals(uri.getScheme()) ? 5671 : 5672);
        String management = managementUrl != null ? managementUrl : "http://" + uri.getHost() + ":15672";
        return new BrokerAddress(uri.getScheme(), uri.getHost(), port, login[0], login.length > 1 ? login[1] : "",
                management.replaceAll("/+$", ""));
    }

    /** The AMQP URI of {@code vhost} on this broker. */
    public String uri(String vhost) {
        return scheme + "://" + enc(user) + ":" + enc(password) + "@" + host + ":" + port + "/" + enc(vhost);
    }

    public String describe() {
        return scheme + "://" + host + ":" + port + " (management " + managementUrl + ")";
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
