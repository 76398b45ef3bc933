package org.dp3q.worker.slot;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.publish.UnroutableException;
import org.dp3q.broker.topology.Topology;

/**
 * The delay queues one slot publishes to (retries, held copies): each declared before its first use, and again
 * after a publish no queue took (the queue or its binding is gone).
 */
final class DelayQueues {
    private final Set<String> declared = new HashSet<>();

    /** What is published to the delay queue named. */
    @FunctionalInterface
    interface Publish {
        void to(String queue) throws IOException, InterruptedException, TimeoutException;
    }

    /** Declares {@code pool}'s delay queue of {@code delay} on {@code channel} if needed, then publishes. */
    void publish(Channel channel, String pool, Duration delay, Publish publish)
            throws IOException, InterruptedException, TimeoutException {
        String queue = Topology.retryQueue(pool, delay);
        if (!declared.contains(queue)) {
            Topology.declareRetryQueue(channel, pool, delay);
            declared.add(queue);
        }
        try {
            publish.to(queue);
        } catch (UnroutableException e) {
            // declare it again next time; the delivery is not acked
            declared.remove(queue);
            throw e;
        }
    }
}
