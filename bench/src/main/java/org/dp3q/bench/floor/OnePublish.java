package org.dp3q.bench.floor;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import org.dp3q.task.Task;

/**
 * The least a JVM must do to start a chunk: connect, publish one persistent task to a queue and wait for the
 * broker's confirm. Started as a process of its own by {@link FirstStartProbe}, with the command line's JVM options
 * and a class-data archive of its own, it is the floor of {@code dp3q submit}'s submit → first start.
 * Arguments: broker URI, queue.
 */
public final class OnePublish {
    private OnePublish() {
    }

    public static void main(String[] args) throws Exception {
        publish(args[0], args[1], ("{\"schema\":\"" + Task.SCHEMA + "\",\"batch\":\"floor\",\"chunk\":0}")
                .getBytes(StandardCharsets.UTF_8), "dp3q-bench one-publish");
    }

    /** Connects to {@code uri}, publishes {@code task} to {@code queue}, persistent, and waits for the confirm. */
    static void publish(String uri, String queue, byte[] task, String connectionName) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        try (Connection connection = factory.newConnection(connectionName);
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .contentType("application/json").build();
            channel.basicPublish("", queue, true, persistent, task);
            channel.waitForConfirmsOrDie(30_000);
        }
    }
}
