package org.dp3q.cli;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
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
