package org.dp3q.worker.slot;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import org.dp3q.broker.publish.RoutedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel of its own to record the outcome of a run whose delivery was lost: opened once the connection is
 * back, closed after.
 */
final class DetachedChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetachedChannel.class);
    private static final long RETRY_MS = 250;

    private final RoutedChannel routed;

    private DetachedChannel(RoutedChannel routed) {
        this.routed = routed;
    }

    /** Waits up to {@code patience} for the connection, then opens the channel. */
    static DetachedChannel open(Connection connection, Duration patience) throws IOException, InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        IOException last = null;
        while (System.nanoTime() < until) {
            if (connection.isOpen()) {
                try {
                    Channel channel = connection.createChannel();
                    return new DetachedChannel(RoutedChannel.on(channel));
                } catch (IOException | RuntimeException e) {
                    last = e instanceof IOException io ? io : new IOException(e);
                }
            }
            Thread.sleep(RETRY_MS);
        }
        throw new IOException("no channel to the broker within " + patience.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    RoutedChannel routed() {
        return routed;
    }

    @Override
    public void close() {
        try {
            if (routed.channel().isOpen()) {
                routed.channel().close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("closing a detached channel: {}", e.toString());
        }
    }
}
