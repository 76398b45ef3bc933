package org.dp3q.control;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.time.Instant;
import org.dp3q.broker.publish.RoutedChannel;
import java.util.List;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * A broadcast to every worker through {@code dp3q.control}, kept in the stream {@code dp3q.control.log} so a
 * worker that starts later still learns it. {@code cancel} applies to the batch's tasks submitted before it; with
 * {@code taskIds}, only to those tasks, and to every copy of them but the one whose {@code submitted_at} is
 * {@code keepSubmittedAt} (the copy {@code submit --replace} publishes): no clock is compared.
 */
public record ControlCommand(String schema, String command, String batch, String time, List<String> taskIds,
                             String keepSubmittedAt) {
    public static final String SCHEMA = "dp3q.control/1";
    public static final String CANCEL = "cancel";

    public static ControlCommand cancel(String batch, Instant at) {
        return new ControlCommand(SCHEMA, CANCEL, batch, at.toString(), null, null);
    }

    /** Cancels every copy of {@code taskIds} but the one submitted at {@code keepSubmittedAt}. */
    public static ControlCommand supersede(String batch, List<String> taskIds, String keepSubmittedAt, Instant at) {
        return new ControlCommand(SCHEMA, CANCEL, batch, at.toString(), List.copyOf(taskIds), keepSubmittedAt);
    }

    /** A cancel of named tasks of the batch, not of the whole batch. */
    public boolean isSupersede() {
        return isCancel() && taskIds != null && keepSubmittedAt != null;
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
