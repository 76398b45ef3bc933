package org.dp3q.bench.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;

/**
 * Asks the queue itself (a passive declare, one round trip) how many messages are ready and how many
 * consumers it has: exact and immediate, unlike the management statistics, which lag by seconds.
 */
public final class QueueProbe {
    private final Connection connection;
    private Channel channel;

    public QueueProbe(Connection connection) {
        this.connection = connection;
    }

    public record Counts(long ready, int consumers) {
    }

    public synchronized Counts counts(String queue) throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
        }
        AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
        return new Counts(ok.getMessageCount(), ok.getConsumerCount());
    }
}
