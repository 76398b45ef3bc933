package org.dp3q.broker.stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dp3q.broker.topology.Topology;

/**
 * Tells a stream reader when it has read everything that was in the stream when it started. AMQP has no
 * "end of stream", so the reader appends a small marker record of its own and is caught up once it reads it
 * back. Readers skip markers ({@link StreamReader.Record#isMarker()}).
 */
public final class CatchUpMarker {
    public static final String TYPE = "dp3q.marker";

    private final String id = UUID.randomUUID().toString();
    private final CountDownLatch seen = new CountDownLatch(1);

    /** A new marker appended to {@code stream}, for a reader that subscribes after this returns. */
    public static CatchUpMarker append(Connection connection, String stream) throws IOException {
        CatchUpMarker marker = new CatchUpMarker();
        marker.appendTo(connection, stream);
        return marker;
    }

    /**
     * Appends this marker, confirmed, so everything before it is what the reader must read to be caught up.
     * A reader already running may read it back before this returns: make the marker known to it first. Throws
     * when the stream took no record of it (just after a broker restart its exchange routes nowhere for a
     * while): a reader waiting for a marker that was never stored would wait forever, as {@code dp3q wait} did.
     */
    public void appendTo(Connection connection, String stream) throws IOException {
        try (Channel channel = connection.createChannel()) {
            AtomicBoolean returned = new AtomicBoolean();
            channel.addReturnListener(unroutable -> returned.set(true));
            channel.confirmSelect();
            channel.basicPublish(Topology.exchangeFor(stream), stream, true, new AMQP.BasicProperties.Builder().type(TYPE)
                    .messageId(id).deliveryMode(2).build(), new byte[0]);
            channel.waitForConfirmsOrDie(30_000);
            // the broker returns an unroutable message before it confirms it
            if (returned.get()) {
                throw new IOException("the catch-up marker on " + stream + " reached no queue: the stream is not up yet");
            }
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the broker did not confirm a catch-up marker on " + stream, e);
        }
    }

    /** Feed every marker record read; returns true when it is this one. */
    public boolean offer(StreamReader.Record record) {
        if (record.isMarker() && id.equals(record.properties().getMessageId())) {
            seen.countDown();
            return true;
        }
        return false;
    }

    public boolean isSeen() {
        return seen.getCount() == 0;
    }

    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return seen.await(timeout, unit);
    }
}
