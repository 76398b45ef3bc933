package org.dp3q.control;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Instant;
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

    public void publish(Channel channel) throws IOException {
        channel.basicPublish(Topology.CONTROL_EXCHANGE, "", true,
                new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(), Json.bytes(this));
    }
}
