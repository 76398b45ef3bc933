package org.dp3q.broker.stream;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a stream from a point in time up to what it held when the read began (a {@link CatchUpMarker} of its
 * own), feeding every record but the markers to {@code sink}, from the reader's thread.
 */
public final class StreamSnapshot {
    private StreamSnapshot() {
    }

    public static void read(Connection connection, String stream, Date since, long timeoutS, Consumer<StreamReader.Record> sink)
            throws IOException, InterruptedException {
        CatchUpMarker marker = CatchUpMarker.append(connection, stream);
        try (StreamReader reader = StreamReader.since(connection, stream, since, record -> {
            if (!record.isMarker()) {
                sink.accept(record);
            } else {
                marker.offer(record);
            }
        })) {
            if (!marker.await(timeoutS, TimeUnit.SECONDS)) {
                throw new IOException("could not read " + stream + " to its end within " + timeoutS + " s");
            }
        }
    }
}
