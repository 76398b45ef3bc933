package org.dp3q.cli;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.dp3q.broker.connect.BrokerConnector;
import org.dp3q.broker.connect.BrokerSettings;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.TopologyDeclarer;

/** A command's connection to the broker, with the shared topology declared. */
public final class BrokerSession implements AutoCloseable {
    private final Connection connection;
    private final BrokerSettings settings;

    private BrokerSession(Connection connection, BrokerSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    public static BrokerSession open(BrokerSettings settings, String purpose, List<String> pools)
            throws BrokerUnavailableException {
        // declares what this broker user may and checks the rest exists (least-privilege users declare nothing)
        Connection connection = new BrokerConnector(settings).connect("dp3q " + purpose,
                channel -> TopologyDeclarer.declare(channel.getConnection(), pools));
        return new BrokerSession(connection, settings);
    }

    /**
     * Starts {@link #open} (the shared topology only) on a thread of its own, so that a command connects while it
     * reads and checks its input; {@link #opened} takes the session, {@link #declarePools} adds the pools' queues.
     */
    public static CompletableFuture<BrokerSession> openSoon(BrokerSettings settings, String purpose) {
        CompletableFuture<BrokerSession> opening = new CompletableFuture<>();
        Thread connecting = new Thread(() -> {
            try {
                opening.complete(open(settings, purpose, List.of()));
            } catch (BrokerUnavailableException | RuntimeException e) {
                opening.completeExceptionally(e);
            }
        }, "connect");
        connecting.setDaemon(true);
        connecting.start();
        return opening;
    }

    /** The session {@link #openSoon} opened, once it is open. */
    public static BrokerSession opened(CompletableFuture<BrokerSession> opening)
            throws BrokerUnavailableException, InterruptedException {
        try {
            return opening.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerUnavailableException unavailable) {
                throw unavailable;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Declares, or checks, the task queues of {@code pools}. */
    public void declarePools(Collection<String> pools) throws IOException {
        TopologyDeclarer.declarePools(connection, pools);
    }

    public Connection connection() {
        return connection;
    }

    public BrokerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection.isOpen()) {
                connection.close(5_000);
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing left to tell the user
        }
    }
}
