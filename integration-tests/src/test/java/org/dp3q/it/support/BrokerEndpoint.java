package org.dp3q.it.support;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real broker the integration tests use: {@code RABBITMQ_URI} when set (no Docker probe then), else a
 * Testcontainers RabbitMQ when a Docker engine answers, else the local broker on 5672. Its management API
 * ({@code RABBITMQ_MANAGEMENT_URI}, default port 15672 on the same host) creates a vhost per test class.
 */
public record BrokerEndpoint(String host, int port, String user, String password, String managementUrl) {
    public static final String ENV_URI = "RABBITMQ_URI";
    public static final String ENV_MANAGEMENT = "RABBITMQ_MANAGEMENT_URI";
    private static final String LOCAL = "amqp://guest:guest@localhost:5672/";
    private static volatile BrokerEndpoint shared;

    public static synchronized BrokerEndpoint get() {
        if (shared == null) {
            shared = resolve();
        }
        return shared;
    }

    private static BrokerEndpoint resolve() {
        String uri = System.getenv(ENV_URI);
        if (uri == null && dockerAvailable()) {
            return fromContainer();
        }
        BrokerEndpoint endpoint = fromUri(uri == null ? LOCAL : uri, System.getenv(ENV_MANAGEMENT));
        endpoint.requireReachable(uri == null ? "no " + ENV_URI + " set and no Docker engine, so the local broker"
                : ENV_URI + "=" + uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1****@"));
        return endpoint;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static BrokerEndpoint fromContainer() {
        RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse("rabbitmq:3.13-management"));
        container.start();
        return new BrokerEndpoint(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
                container.getAdminPassword(), container.getHttpUrl());
    }

    static BrokerEndpoint fromUri(String amqpUri, String managementUri) {
        URI uri = URI.create(amqpUri);
        String[] userInfo = uri.getUserInfo() == null ? new String[] {"guest", "guest"} : uri.getUserInfo().split(":", 2);
        int port = uri.getPort() > 0 ? uri.getPort() : 5672;
        String management = managementUri != null ? managementUri : "http://" + uri.getHost() + ":15672";
        return new BrokerEndpoint(uri.getHost(), port, userInfo[0], userInfo.length > 1 ? userInfo[1] : "", management);
    }

    private void requireReachable(String tried) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setConnectionTimeout(3000);
        try (Connection ignored = factory.newConnection("dp3q-it-probe")) {
            new Management(this).overview();
        } catch (Exception e) {
            throw new IllegalStateException("No RabbitMQ broker for the integration tests: tried " + tried + " at "
                    + host + ":" + port + " (management " + managementUrl + ") and got: " + e
                    + ". Start one with 'rabbitmq-server -detached' and 'rabbitmq-plugins enable rabbitmq_management',"
                    + " run a Docker engine, or set " + ENV_URI + " (and " + ENV_MANAGEMENT + ").", e);
        }
    }

    /** The AMQP URI of a vhost on this broker. */
    public String uri(String vhost) {
        return "amqp://" + user + ":" + password + "@" + host + ":" + port + "/" + vhost;
    }
}
