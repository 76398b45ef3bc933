package org.dp3q.broker.stream;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a stream ends now, as a numeric offset: subscribes from "next", appends a catch-up marker and takes the
 * offset it is read back at. Every record appended after this returns has a larger offset. No clock involved.
 */
public final class StreamPosition {
    private StreamPosition() {
    }

    public static long next(Connection connection, String stream) throws IOException, InterruptedException {
        CatchUpMarker marker = new CatchUpMarker();
        AtomicLong offset = new AtomicLong(-1);
        try (StreamReader ignored = StreamReader.from(connection, stream, "next", record -> {
            // any record read from "next" on lies at or after the end as it was: the first one's offset will do
            if (record.offset() != null) {
                offset.compareAndSet(-1, record.offset());
            }
            if (record.isMarker()) {
                marker.offer(record);
            }
        })) {
            marker.appendTo(connection, stream);
            if (!marker.await(CaughtUpRead.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("could not learn where " + stream + " ends: its own marker did not come back within "
                        + CaughtUpRead.DEFAULT_TIMEOUT.toSeconds() + " s");
            }
            if (offset.get() < 0) {
                throw new IOException("could not learn where " + stream + " ends: the broker gave no record offset");
            }
        }
        return offset.get();
    }
}
