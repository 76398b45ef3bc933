package org.dp3q.bench.floor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.concurrent.Callable;
import org.dp3q.task.Task;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@link OnePublish} with the libraries {@code dp3q submit} is built on: picocli reads its two options and Jackson
 * writes the task. Nothing else of dp3q (no topology, no look-up of the batch, no events). Started by
 * {@link FirstStartProbe} as {@link OnePublish} is; the difference between the two is what the libraries cost a
 * command line at its start, before it does anything of its own.
 */
@Command(name = "libraries-publish")
public final class LibrariesPublish implements Callable<Integer> {
    @Option(names = "--broker", required = true)
    String broker;

    @Option(names = "--queue", required = true)
    String queue;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LibrariesPublish()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ObjectNode task = new ObjectMapper().createObjectNode().put("schema", Task.SCHEMA).put("batch", "floor").put("chunk", 0);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(broker);
        try (Connection connection = factory.newConnection("dp3q-bench libraries-publish");
             Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .contentType("application/json").build();
            channel.basicPublish("", queue, true, persistent, new ObjectMapper().writeValueAsBytes(task));
            channel.waitForConfirmsOrDie(30_000);
        }
        return 0;
    }
}
