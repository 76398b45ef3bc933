package org.dp3q.batch;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import java.util.function.Predicate;
import org.dp3q.codec.Json;
import org.dp3q.event.AcceptedRecord;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.Event;
import org.dp3q.event.EventStreamReader;

/**
 * The events of one batch: read from where the batch index says the batch begins, records of other batches
 * skipped by their {@code dp3q-batch} header before any body is decoded. Costs what the batch and the records
 * written since it began cost, not the stream's history. The API {@code wait}, {@code status}, {@code submit} and
 * the dashboard read batches with.
 */
public final class BatchEvents {
    private BatchEvents() {
    }

    /** A batch the index knows: where its events begin, and their state when they were read. */
    public record Known(BatchStart start, BatchProgress progress) {
    }

    /** The state of batch {@code batch} now, or empty when nothing is known of it. */
    public static Optional<BatchProgress> read(Connection connection, String batch) throws IOException, InterruptedException {
        return lookUp(connection, batch).map(Known::progress);
    }

    /** Where batch {@code batch} begins and its state now, or empty when nothing is known of it. */
    public static Optional<Known> lookUp(Connection connection, String batch) throws IOException, InterruptedException {
        Optional<BatchStart> start = BatchIndex.find(connection, batch);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        BatchProgress progress = new BatchProgress(batch, null);
        read(connection, batch, start.get(), event -> {
            synchronized (progress) {
                progress.apply(event);
            }
        }, accepted -> {
            synchronized (progress) {
                progress.accept(accepted);
            }
        });
        synchronized (progress) {
            return Optional.of(new Known(start.get(), progress));
        }
    }

    /** Every event of {@code batch} from {@code start} up to now, to {@code sink}; tightens the index when it can. */
    public static void read(Connection connection, String batch, BatchStart start, Consumer<Event> sink,
                            Consumer<AcceptedRecord> accepted) throws IOException, InterruptedException {
        AtomicLong first = new AtomicLong(-1);
        CaughtUpRead.read(connection, Topology.EVENTS_STREAM, start.subscribeFrom(),
                decoding(record -> wanted(batch, record, first), sink, accepted, marker -> { }));
        tighten(connection, batch, start, first.get());
    }

    /**
     * Follows {@code batch} from {@code from} (a {@link BatchStart#subscribeFrom()}, or "next" for a batch not known
     * yet) on, without end; markers (the caller's catch-up markers) go to {@code markers}. Reconnects read from
     * {@code from} again.
     */
    public static StreamReader follow(Connection connection, String batch, Object from, Consumer<Event> sink,
                                      Consumer<AcceptedRecord> accepted, Consumer<StreamReader.Record> markers)
            throws IOException {
        return StreamReader.from(connection, Topology.EVENTS_STREAM, from,
                decoding(record -> BatchIndex.isAbout(batch, record), sink, accepted, markers));
    }

    /** Events to {@code sink}, {@link AcceptedRecord}s to {@code accepted}, of the records {@code wanted} takes. */
    static Consumer<StreamReader.Record> decoding(Predicate<StreamReader.Record> wanted, Consumer<Event> sink,
                                                  Consumer<AcceptedRecord> accepted, Consumer<StreamReader.Record> markers) {
        Consumer<StreamReader.Record> events = EventStreamReader.decoding(wanted, sink, markers);
        return record -> {
            if (AcceptedRecord.TYPE.equals(record.properties().getType())) {
                if (wanted.test(record)) {
                    accepted.accept(Json.read(record.body(), AcceptedRecord.class));
                }
            } else {
                events.accept(record);
            }
        };
    }

    /** A reader that had to start below the batch records where the batch really begins, for the next reader. */
    static void tighten(Connection connection, String batch, BatchStart start, long firstOffset) throws IOException {
        if (!start.exact() && firstOffset >= 0) {
            BatchIndex.record(connection, IndexRecord.of(batch, firstOffset, IndexRecord.BY_READER));
        }
    }

    private static boolean wanted(String batch, StreamReader.Record record, AtomicLong first) {
        if (!BatchIndex.isAbout(batch, record)) {
            return false;
        }
        if (first.get() < 0 && record.offset() != null) {
            first.set(record.offset());
        }
        return true;
    }
}
