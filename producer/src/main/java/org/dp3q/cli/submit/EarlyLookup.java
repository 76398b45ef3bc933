package org.dp3q.cli.submit;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.dp3q.batch.BatchEvents;
import org.dp3q.broker.stream.StreamPosition;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.BrokerSession;

/**
 * What the event stream knows of the batch an input names first, looked up on a thread of its own as soon as the
 * connection is open and the batch is named (by {@code --batch}, or by the input's first task), while the rest of
 * the input is still read and checked: before, the look-up came after them, and each took 30-40 ms on the way to
 * the first chunk's start. For a batch the stream does not know, it also learns where the events end now, where the
 * batch's index record points; it learns that while it looks the batch up (an end learnt earlier is still before
 * any event of the batch, which go out only after the look-up). Other batches of the same input are looked up when
 * asked for, as before.
 */
final class EarlyLookup {
    /** What was found of {@code batch}; {@code eventsEnd} only for a batch not known ({@code known} empty). */
    record Found(String batch, Optional<BatchEvents.Known> known, Long eventsEnd) {
    }

    private final CompletableFuture<Found> found = new CompletableFuture<>();

    private EarlyLookup() {
    }

    /** Starts looking up the batch {@code named} gives (none when it gives null) on the session {@code opening} opens. */
    static EarlyLookup start(CompletableFuture<BrokerSession> opening, CompletableFuture<String> named) {
        EarlyLookup lookup = new EarlyLookup();
        Thread thread = new Thread(() -> lookup.run(opening, named), "look-up");
        thread.setDaemon(true);
        thread.start();
        return lookup;
    }

    private void run(CompletableFuture<BrokerSession> opening, CompletableFuture<String> named) {
        try {
            String batch = named.get();
            if (batch == null) {
                found.complete(null);
                return;
            }
            Connection connection = opening.get().connection();
            // a batch submit names is mostly new: where the events end is learnt beside the look-up, not after it
            FutureTask<Long> eventsEnd = new FutureTask<>(() -> StreamPosition.next(connection, Topology.EVENTS_STREAM));
            Thread learning = new Thread(eventsEnd, "events-end");
            learning.setDaemon(true);
            learning.start();
            Optional<BatchEvents.Known> known = BatchEvents.lookUp(connection, batch);
            Long end = known.isEmpty() ? eventsEnd.get() : null;
            found.complete(new Found(batch, known, end));
        } catch (ExecutionException e) {
            found.completeExceptionally(e.getCause());
        } catch (InterruptedException | IOException | RuntimeException e) {
            found.completeExceptionally(e);
        }
    }

    /** What was found of {@code batch}, or empty when this look-up was about another batch (or none). */
    Optional<Found> of(String batch) throws IOException, InterruptedException {
        Found result;
        try {
            result = found.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("looking up batch " + batch + " failed", e.getCause());
        }
        return result != null && result.batch().equals(batch) ? Optional.of(result) : Optional.empty();
    }
}
