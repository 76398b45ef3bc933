package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.Optional;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.cli.wait.BatchWatcher;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventType;
import org.dp3q.event.WorkerRef;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.task.TaskIdentity;
import org.junit.jupiter.api.Test;

/**
 * The barrier's wake-up: a change the watcher applied after the waiter last looked, but before the waiter went to
 * sleep, must end the sleep at once. Before, the waiter slept a whole tick (half a second) then: in a pipeline of
 * {@code dp3q submit --wait} barriers here, one returned 532 ms after its last chunk had ended, the others 26-60 ms.
 */
class BatchWatcherIT extends RealBrokerTest {
    private static final String BATCH = "wake";

    @Test
    void a_change_that_lands_before_the_waiter_sleeps_wakes_it_at_once() throws Exception {
        assertThat(cli().run("topology").exitCode()).isZero();
        try (Connection connection = connect(); BatchWatcher watcher = new BatchWatcher(connection, BATCH, 1, Optional.empty())) {
            watcher.ensureMarker();
            await().atMost(Duration.ofSeconds(30)).until(watcher::caughtUp);
            // the waiter looks: not complete
            long seen = watcher.changes();
            assertThat(watcher.read(BatchProgress::isComplete)).isFalse();

            // the batch's only task ends while the waiter is between its look and its sleep
            TaskIdentity task = new TaskIdentity(BATCH + "/0", BATCH, 0, 1);
            try (Channel channel = connection.createChannel()) {
                RoutedChannel routed = RoutedChannel.on(channel);
                EventPublisher.publish(routed, Event.of(EventType.SUBMITTED, task).pool("default").build());
                EventPublisher.publish(routed, Event.of(EventType.SUCCEEDED, task).pool("default").attempt(1)
                        .worker(new WorkerRef("host", 1L, 0, "it")).exitCode(0).durationMs(5).build());
                routed.confirm(30_000);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.read(BatchProgress::isComplete));

            // the sleep that follows ends at once, not when its (here long) limit has passed
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> watcher.awaitChange(seen, Duration.ofMinutes(5)));
            assertThat(watcher.changes()).isGreaterThan(seen);
        }
    }
}
