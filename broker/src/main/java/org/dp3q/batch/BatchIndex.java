package org.dp3q.batch;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.broker.stream.StreamPosition;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.EventPublisher;

/**
 * The batch index {@code dp3q.batches}: where in {@code dp3q.events} each batch begins, so a command about one batch
 * reads from there and not from the start of the week. A look-up reads the last {@link #TAIL} index records first
 * (a batch a pipeline works on was opened recently: one per barrier), and the whole index only when the batch is not
 * among them. The tail is counted in records from where the index ends, not in time: a broker delivers a stream's
 * records at about ten thousand a second here, so a time window that holds a busy day's batches would cost seconds;
 * and no clock is involved.
 */
public final class BatchIndex {
    /** Index records read before the whole index is: the last few days of a pipeline's barriers. */
    static final long TAIL = 500;
    private static final long CONFIRM_TIMEOUT_MS = 30_000;

    private BatchIndex() {
    }

    /** Where batch {@code batch} begins in the events, or empty when the index does not know it. */
    public static Optional<BatchStart> find(Connection connection, String batch) throws IOException, InterruptedException {
        long end = StreamPosition.next(connection, Topology.BATCHES_STREAM);
        if (end > TAIL) {
            Optional<BatchStart> found = scan(connection, batch, end - TAIL);
            // a worker's record whose lower bound lies before the tail would send the reader to the events' start
            if (found.isPresent() && found.get().eventsOffset() != null) {
                return found;
            }
        }
        return scan(connection, batch, "first");
    }

    private static Optional<BatchStart> scan(Connection connection, String batch, Object from)
            throws IOException, InterruptedException {
        IndexLookup lookup = new IndexLookup(batch);
        CaughtUpRead.read(connection, Topology.BATCHES_STREAM, from, lookup::offer);
        return lookup.result();
    }

    /** Appends an index record, confirmed. */
    public static void record(Connection connection, IndexRecord record) throws IOException {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            publish(channel, record);
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the broker did not confirm the index record of batch " + record.batch(), e);
        }
    }

    /** Publishes an index record on the caller's channel (mandatory); the caller waits for the confirm. */
    public static void publish(Channel channel, IndexRecord record) throws IOException {
        channel.basicPublish(Topology.BATCHES_EXCHANGE, Topology.BATCHES_STREAM, true, record.properties(), Json.bytes(record));
    }

    static boolean isAbout(String batch, org.dp3q.broker.stream.StreamReader.Record record) {
        return batch.equals(record.headerText(EventPublisher.BATCH_HEADER));
    }
}
