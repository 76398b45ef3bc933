package org.dp3q.worker.control;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.control.ControlCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control log from its start: cancels from before this worker started still count, and a live
 * cancel reaches every worker at once. Reads without consuming, so every worker sees every command.
 */
public final class ControlListener {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

    private ControlListener() {
    }

    public static void start(Connection connection, CancelledBatches cancelled, Consumer<ControlCommand> onCancel)
            throws IOException {
        Channel channel = connection.createChannel();
        channel.basicQos(100);
        channel.basicConsume(Topology.CONTROL_LOG_STREAM, false, Map.of("x-stream-offset", "first"),
                new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                               byte[] body) throws IOException {
                        try {
                            ControlCommand command = Json.read(body, ControlCommand.class);
                            if (command.isCancel()) {
                                cancelled.add(command.batch(), command.at());
                                onCancel.accept(command);
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("ignoring an unreadable control command: {}", e.getMessage());
                        }
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                    }
                });
    }
}
