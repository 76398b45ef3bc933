package org.dp3q.cli.wait;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.dp3q.broker.connect.BrokerSettings;
import org.dp3q.event.BatchProgress;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.event.EventStreamReader;

/**
 * Follows one batch on the event stream and rides through broker restarts: the client reconnects and
 * subscribes again from the stream's start, and the fold gives the same state. Gives up only when the
 * broker stays away longer than {@code --broker-timeout}.
 */
public final class BatchWatcher implements AutoCloseable {
    private final BatchProgress progress;
    private final StreamReader reader;
    private final Object lock = new Object();
    private volatile Instant brokerLostAt;

    public BatchWatcher(Connection connection, String batch, Integer expected) throws IOException {
        this.progress = new BatchProgress(batch, expected);
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                brokerLostAt = Instant.now();
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    brokerLostAt = null;
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // the shutdown listener already noted the time
                }
            });
        }
        this.reader = EventStreamReader.start(connection, event -> {
            synchronized (lock) {
                if (progress.apply(event)) {
                    lock.notifyAll();
                }
            }
        });
    }

    /** Runs {@code view} on the progress under the lock, so it sees one consistent state. */
    public <T> T read(java.util.function.Function<BatchProgress, T> view) {
        synchronized (lock) {
            return view.apply(progress);
        }
    }

    public void inspect(Consumer<BatchProgress> view) {
        synchronized (lock) {
            view.accept(progress);
        }
    }

    /** Waits up to {@code max} for any change. */
    public void awaitChange(Duration max) throws InterruptedException {
        synchronized (lock) {
            lock.wait(Math.max(1, max.toMillis()));
        }
    }

    /** True when the broker has been unreachable for longer than the settings allow. */
    public boolean brokerGoneFor(BrokerSettings settings) {
        Instant lost = brokerLostAt;
        return lost != null && Duration.between(lost, Instant.now()).compareTo(settings.brokerTimeout()) > 0;
    }

    public boolean brokerDown() {
        return brokerLostAt != null;
    }

    @Override
    public void close() {
        reader.close();
    }
}
