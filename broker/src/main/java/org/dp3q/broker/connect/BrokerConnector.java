package org.dp3q.broker.connect;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections with automatic recovery, and keeps trying while the broker is down at start
 * (the Java client does not start recovery when the first connect fails). A URI naming several cluster nodes
 * connects to any of them and recovers on another when its node goes away. {@code amqps://} verifies the broker's
 * certificate (against the given CA file, else the JVM's CAs) and its host name.
 */
public final class BrokerConnector {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnector.class);
    private static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(2);
    /** The heartbeat asked for unless the URI says {@code ?heartbeat=N}; the broker may lower it. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 15;

    private final BrokerSettings settings;
    private final ConnectionFactory factory;

    public BrokerConnector(BrokerSettings settings) {
        this(settings, System.getenv());
    }

    BrokerConnector(BrokerSettings settings, Map<String, String> env) {
        this.settings = settings;
        this.factory = newFactory(settings, env);
    }

    private static ConnectionFactory newFactory(BrokerSettings settings, Map<String, String> env) {
        ConnectionFactory factory = new ConnectionFactory();
        // before the URI, so that a URI's ?heartbeat=N wins (a worker's guard timeout follows from it)
        factory.setRequestedHeartbeat(DEFAULT_HEARTBEAT_SECONDS);
        String uri = settings.addresses().singleHost();
        try {
            factory.setUri(uri);
            String path = java.net.URI.create(uri).getRawPath();
            if (path == null || path.isEmpty() || path.equals("/")) {
                // amqp://host:5672/ means the default vhost to people, not the empty-named one
                factory.setVirtualHost("/");
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid broker URI " + settings.maskedUri() + ": "
                    + BrokerSettings.masked(e.getMessage()));
        }
        if (settings.usesTls()) {
            // setUri trusts any certificate on amqps://; replace that with real verification
            factory.useSslProtocol(TlsContexts.create(settings.tls()));
            factory.enableHostnameVerification();
        }
        String password = password(settings, env);
        if (password != null) {
            factory.setPassword(password);
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setTopologyRecoveryFilter(new LiveTopologyFilter());
        factory.setNetworkRecoveryInterval(RECOVERY_INTERVAL.toMillis());
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    private static String password(BrokerSettings settings, Map<String, String> env) {
        if (settings.passwordFile() != null) {
            try {
                return Files.readString(settings.passwordFile(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read broker password file " + settings.passwordFile()
                        + ": " + e.getMessage());
            }
        }
        return env.get(BrokerSettings.ENV_PASSWORD);
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** One attempt; fails fast with {@link BrokerUnavailableException}. */
    public Connection connectOnce(String connectionName) throws BrokerUnavailableException {
        try {
            return factory.newConnection(settings.addresses().nodes(), connectionName);
        } catch (IOException | TimeoutException e) {
            throw new BrokerUnavailableException(settings.maskedUri(), e);
        }
    }

    /** Retries until connected or {@link BrokerSettings#brokerTimeout()} has passed. */
    public Connection connect(String connectionName) throws BrokerUnavailableException {
        Instant deadline = Instant.now().plus(settings.brokerTimeout());
        boolean warned = false;
        while (true) {
            try {
                Connection connection = connectOnce(connectionName);
                if (warned) {
                    LOG.info("broker {} is reachable again", settings.maskedUri());
                }
                return connection;
            } catch (BrokerUnavailableException e) {
                if (Instant.now().plus(RECOVERY_INTERVAL).isAfter(deadline)) {
                    throw e;
                }
                if (!warned) {
                    LOG.warn("broker {} is down ({}); retrying every {} s for up to {} s", settings.maskedUri(),
                            BrokerSettings.masked(e.getCause().getMessage()), RECOVERY_INTERVAL.toSeconds(), settings.brokerTimeout().toSeconds());
                    warned = true;
                }
                sleep(RECOVERY_INTERVAL);
            }
        }
    }

    /** What must succeed on a fresh connection before it is usable, e.g. declaring the topology. */
    @FunctionalInterface
    public interface Preparation {
        void prepare(com.rabbitmq.client.Channel channel) throws IOException;
    }

    /**
     * Like {@link #connect}, then runs {@code preparation} on a short-lived channel. A broker that has just
     * started accepts connections before its queues are ready; a failed preparation is retried on a new
     * connection until {@link BrokerSettings#brokerTimeout()} has passed.
     */
    public Connection connect(String connectionName, Preparation preparation) throws BrokerUnavailableException {
        Instant deadline = Instant.now().plus(settings.brokerTimeout());
        while (true) {
            Connection connection = connect(connectionName);
            try (com.rabbitmq.client.Channel channel = connection.createChannel()) {
                preparation.prepare(channel);
                return connection;
            } catch (IOException | TimeoutException | RuntimeException e) {
                closeQuietly(connection);
                if (Instant.now().plus(RECOVERY_INTERVAL).isAfter(deadline)) {
                    throw new BrokerUnavailableException(settings.maskedUri(), e.getCause() != null ? e.getCause() : e);
                }
                LOG.warn("broker {} is not ready yet ({}); retrying in {} s", settings.maskedUri(), describe(e),
                        RECOVERY_INTERVAL.toSeconds());
                sleep(RECOVERY_INTERVAL);
            }
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.abort(2_000);
        } catch (RuntimeException e) {
            LOG.debug("dropping a connection: {}", e.toString());
        }
    }

    private static void sleep(Duration duration) throws BrokerUnavailableException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the broker");
        }
    }
}
