package org.dp3q.cli.cancel;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.control.ControlCommand;

/** Broadcasts the cancel of a batch to every worker, confirmed and routed (else {@link org.dp3q.broker.publish.UnroutableException}): what {@code dp3q cancel} and the dashboard do. */
public final class BatchCancel {
    private static final long CONFIRM_TIMEOUT_MS = 30_000;

    private BatchCancel() {
    }

    public static void send(Connection connection, String batch) throws IOException, InterruptedException, TimeoutException {
        try (Channel channel = connection.createChannel()) {
            RoutedChannel routed = RoutedChannel.on(channel);
            ControlCommand.cancel(batch, Instant.now()).publish(routed);
            routed.confirm(CONFIRM_TIMEOUT_MS);
        }
    }
}
