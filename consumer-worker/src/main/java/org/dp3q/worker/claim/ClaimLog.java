package org.dp3q.worker.claim;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * Follows {@code dp3q.claims} from its start (an hour at most) into a {@link ClaimBook}, and judges each of this
 * worker's own claims when it reads it back: at that moment the book holds exactly the records before it in the
 * log. A reader that resubscribes reads from the start again; records read twice only make claims look younger.
 */
final class ClaimLog implements AutoCloseable {
    private final ClaimBook book;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private StreamReader reader;

    private record Pending(ClaimRecord claim, long publishedNanos, CompletableFuture<Verdict> verdict) {
    }

    ClaimLog(long leaseNanos) {
        this.book = new ClaimBook(leaseNanos);
    }

    void start(Connection connection) throws IOException {
        reader = StreamReader.fromFirst(connection, Topology.CLAIMS_STREAM, this::read);
    }

    /** Completes {@code verdict} with the verdict on {@code claim}, published from {@code publishedNanos} on, once read back. */
    void judge(ClaimRecord claim, long publishedNanos, CompletableFuture<Verdict> verdict) {
        pending.put(claim.run(), new Pending(claim, publishedNanos, verdict));
        verdict.whenComplete((v, e) -> pending.remove(claim.run()));
    }

    private void read(StreamReader.Record record) {
        if (record.isMarker()) {
            return;
        }
        // a malformed record throws: the reader logs it once with its offset and goes on
        ClaimRecord claim = Json.read(record.body(), ClaimRecord.class);
        long now = System.nanoTime();
        synchronized (book) {
            Pending own = claim.kind() == ClaimRecord.Kind.CLAIM ? pending.get(claim.run()) : null;
            if (own != null) {
                own.verdict().complete(book.judge(claim, own.publishedNanos()));
            }
            book.apply(claim, now);
        }
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
