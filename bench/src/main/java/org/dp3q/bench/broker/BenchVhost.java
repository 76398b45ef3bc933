package org.dp3q.bench.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.topology.Topology;

/**
 * A fresh vhost for one measurement, with dp3q's topology declared, deleted again on close: nothing of a run
 * (queues, stream, connections) can slow down the next one or anyone else's.
 */
public final class BenchVhost implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Vhosts not yet deleted, so an interrupted run deletes them on its way out. */
    private static final java.util.Set<BenchVhost> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(BenchVhost::close)));
    }

    private final BrokerAdmin admin;
    private final BrokerAddress broker;
    private final String name;
    private final List<Connection> connections = new ArrayList<>();

    private BenchVhost(BrokerAdmin admin, BrokerAddress broker, String name) {
        this.admin = admin;
        this.broker = broker;
        this.name = name;
    }

    public static BenchVhost create(BrokerAdmin admin, BrokerAddress broker, String purpose)
            throws IOException, InterruptedException {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String name = "dp3q-bench-" + purpose + "-" + HexFormat.of().formatHex(suffix);
        admin.createVhost(name);
        BenchVhost vhost = new BenchVhost(admin, broker, name);
        OPEN.add(vhost);
        try (Channel channel = vhost.connect("dp3q-bench topology").createChannel()) {
            Topology.declare(channel, List.of(Topology.DEFAULT_POOL));
        } catch (IOException | TimeoutException | RuntimeException e) {
            vhost.close();
            throw new IOException("cannot declare the topology in vhost " + name + ": " + e, e);
        }
        return vhost;
    }

    public String name() {
        return name;
    }

    public String uri() {
        return broker.uri(name);
    }

    public BrokerAdmin admin() {
        return admin;
    }

    /** A plain connection of the harness (no recovery: a broken connection is a failed measurement). */
    public synchronized Connection connect(String connectionName) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri());
        } catch (Exception e) {
            throw new IOException("invalid broker URI: " + e.getMessage(), e);
        }
        factory.setAutomaticRecoveryEnabled(false);
        try {
            Connection connection = factory.newConnection(connectionName);
            connections.add(connection);
            return connection;
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        for (Connection connection : connections) {
            try {
                if (connection.isOpen()) {
                    connection.close(5_000);
                }
            } catch (IOException | RuntimeException ignored) {
                // the vhost goes next, and every connection with it
            }
        }
        try {
            admin.deleteVhost(name);
        } catch (IOException e) {
            System.err.println("bench: could not delete vhost " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
