package org.dp3q.control;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.time.Instant;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * A broadcast to every worker through {@code dp3q.control}, kept in the stream {@code dp3q.control.log} so a
 * worker that starts later still learns it. {@code cancel} applies to the batch's tasks submitted before it.
 */
public record ControlCommand(String schema, String command, String batch, String time) {
    public static final String SCHEMA = "dp3q.control/1";
    public static final String CANCEL = "cancel";

    public static ControlCommand cancel(String batch, Instant at) {
        return new ControlCommand(SCHEMA, CANCEL, batch, at.toString());
    }

    public boolean isCancel() {
        return CANCEL.equals(command) && batch != null && time != null;
    }

    public Instant at() {
        return Instant.parse(time);
    }

    /** Mandatory: the next confirm on {@code channel} fails when no stream keeps the command. */
    public void publish(RoutedChannel channel) throws IOException {
        channel.publish(Topology.CONTROL_EXCHANGE, "",
                new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(), Json.bytes(this));
    }
}
