package org.dp3q.broker.stream;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a stream from an offset up to "now": subscribes, appends a catch-up marker of its own and returns once it
 * has read the marker back. Every record before the marker (other readers' markers left out) goes to the sink,
 * on the client's thread. The one way dp3q reads a stream to its end.
 */
public final class CaughtUpRead {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private CaughtUpRead() {
    }

    /** Reads {@code stream} from {@code offset} (see {@link StreamReader#from}) to its end; throws when that takes longer than {@code timeout}. */
    public static void read(Connection connection, String stream, Object offset, Consumer<StreamReader.Record> sink,
                            Duration timeout) throws IOException, InterruptedException {
        CatchUpMarker marker = new CatchUpMarker();
        try (StreamReader ignored = StreamReader.from(connection, stream, offset, record -> {
            if (record.isMarker()) {
                marker.offer(record);
            } else if (!marker.isSeen()) {
                sink.accept(record);
            }
        })) {
            // appended after subscribing, so also a reader from "next" reads it back
            marker.appendTo(connection, stream);
            if (!marker.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("could not read " + stream + " to its end within " + timeout.toSeconds() + " s");
            }
        }
    }

    public static void read(Connection connection, String stream, Object offset, Consumer<StreamReader.Record> sink)
            throws IOException, InterruptedException {
        read(connection, stream, offset, sink, DEFAULT_TIMEOUT);
    }
}
