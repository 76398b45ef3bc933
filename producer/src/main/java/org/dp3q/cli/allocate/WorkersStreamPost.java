package org.dp3q.cli.allocate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * Appends an allocation record (announcement or resume request) to {@code dp3q.workers}, confirmed, through its
 * exchange: the producer's rights already allow it, since {@code status} appends its catch-up markers there.
 */
final class WorkersStreamPost {
    private static final long CONFIRM_MS = 30_000;

    private WorkersStreamPost() {
    }

    static void post(Connection connection, String type, Object record) throws IOException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Topology.WORKERS_EXCHANGE, Topology.WORKERS_STREAM, new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).type(type).build(), Json.bytes(record));
            channel.waitForConfirmsOrDie(CONFIRM_MS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the broker did not confirm a record on " + Topology.WORKERS_STREAM, e);
        }
    }
}
