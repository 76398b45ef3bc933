package org.dp3q.batch;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.broker.stream.StreamPosition;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch index {@code dp3q.batches}: where in {@code dp3q.events} each batch begins, so a command about one batch
 * reads from there and not from the start of the week. A look-up reads the last {@link #TAIL} records of the index (the
 * last {@link #NEAR_TAIL} first) and, from the newest {@link IndexSummary} among them, knows every batch of the last
 * days: its cost is those records and one summary, however long the index has grown. Only when the tail holds no
 * summary that reaches back to it (a new index, or one written by older versions) is the whole index read; that look-up
 * then leaves a summary behind, and so does any look-up whose summary is more than {@link #SUMMARY_EVERY} records old.
 * A summary that cannot be written costs the next look-up time, never a wrong answer. The tail is counted in records
 * from where the index ends, not in time, so no clock is involved.
 */
public final class BatchIndex {
    /** Index records read at every look-up: a summary written within them reaches back to the rest. */
    static final long TAIL = 200;
    /**
     * The tail is read in two steps: the last {@link #NEAR_TAIL} records, which hold the newest summary whenever fewer
     * than 14 records came after the last look-up (one per barrier in a pipeline), and only without a summary there
     * the last {@link #TAIL}. A broker delivers an index record in about 0.15 ms: 200 of them were 30 ms of every
     * {@code submit}.
     */
    static final long NEAR_TAIL = 64;
    private static final long[] TAILS = {NEAR_TAIL, TAIL};
    /**
     * Records after which a look-up writes a new summary: well within {@link #TAIL}, so that up to 150 records
     * written between two look-ups (workers index batches published without submit) still reach back to it.
     */
    static final long SUMMARY_EVERY = 50;
    /** A summary forgets batches it has held this long: the events' retention ({@code 7D}) and a day. */
    static final Duration FORGET_AFTER = Duration.ofDays(8);
    private static final Logger LOG = LoggerFactory.getLogger(BatchIndex.class);
    private static final long CONFIRM_TIMEOUT_MS = 30_000;

    private BatchIndex() {
    }

    /** Where batch {@code batch} begins in the events, or empty when the index does not know it. */
    public static Optional<BatchStart> find(Connection connection, String batch) throws IOException, InterruptedException {
        return state(connection).start(batch);
    }

    /** Where every batch begins, as of now. */
    static IndexState state(Connection connection) throws IOException, InterruptedException {
        long now = Instant.now().getEpochSecond();
        long end = StreamPosition.next(connection, Topology.BATCHES_STREAM);
        IndexTail tail = null;
        Optional<IndexState> summarised = Optional.empty();
        long depth = 0;
        for (long records : TAILS) {
            depth = records;
            tail = new IndexTail();
            CaughtUpRead.read(connection, Topology.BATCHES_STREAM, Math.max(0, end - depth), tail::offer);
            summarised = tail.fromSummary(now);
            if (summarised.isPresent() || end <= depth) {
                break;
            }
        }
        IndexState state;
        if (summarised.isPresent()) {
            state = summarised.get();
        } else if (end <= depth) {
            state = tail.fromRecords(now);
        } else {
            state = IndexState.empty(now);
            CaughtUpRead.read(connection, Topology.BATCHES_STREAM, "first", state::offer);
        }
        if (state.through() - tail.summaryThrough() >= SUMMARY_EVERY) {
            summarise(connection, state, now);
        }
        return state;
    }

    private static void summarise(Connection connection, IndexState state, long now) {
        byte[] body = IndexSummary.body(state, now - FORGET_AFTER.toSeconds());
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(Topology.BATCHES_EXCHANGE, Topology.BATCHES_STREAM, true, IndexSummary.properties(state), body);
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debug("the index summary through offset {} was not written: {}", state.through(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
