package org.dp3q.cli.logs;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.stream.CatchUpMarker;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.EventStreamReader;

/** The attempts of one task, read from the event stream and kept up to date while it is open. */
public final class TaskEvents implements AutoCloseable {
    private static final long CATCH_UP_S = 60;
    private final AttemptHistory history = new AttemptHistory();
    private final StreamReader reader;
    private final CatchUpMarker marker;

    private TaskEvents(Connection connection, String taskId) throws IOException {
        marker = CatchUpMarker.append(connection, Topology.EVENTS_STREAM);
        reader = EventStreamReader.start(connection, event -> {
            if (taskId.equals(event.taskId())) {
                synchronized (history) {
                    history.apply(event);
                }
            }
        }, marker::offer);
    }

    /** Reads the task's events up to now; the reader goes on following new ones until closed. */
    public static TaskEvents read(Connection connection, String taskId) throws IOException, InterruptedException {
        TaskEvents events = new TaskEvents(connection, taskId);
        if (!events.marker.await(CATCH_UP_S, TimeUnit.SECONDS)) {
            events.close();
            throw new IOException("could not read " + Topology.EVENTS_STREAM + " to its end within " + CATCH_UP_S + " s");
        }
        return events;
    }

    /** As {@link AttemptHistory#find}, with what has been read so far. */
    public java.util.Optional<Attempt> find(Integer number) {
        synchronized (history) {
            return history.find(number);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
