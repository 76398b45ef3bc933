package org.dp3q.worker.slot;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.List;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.broker.topology.Declaration;
import org.dp3q.broker.topology.Topology;
import org.dp3q.worker.logging.RehearsalFilter;

/**
 * Where a slot takes its tasks from and where what it records goes: a pool's task queue and the real records, or,
 * for a {@link SlotRehearsal}, a scratch queue whose records all go to another scratch queue.
 *
 * @param queue    the queue consumed
 * @param topology what that queue needs, checked or declared before a reopen
 * @param thread   the name of the slot's thread
 * @param sink     the queue every publish goes to instead of where it is addressed, or null
 */
record SlotQueue(String queue, List<Declaration> topology, String thread, String sink) {
    /** Slot {@code index} of {@code pool}. */
    static SlotQueue of(String pool, int index) {
        return new SlotQueue(Topology.taskQueue(pool), Topology.pool(pool), "slot-" + index, null);
    }

    /** A rehearsal's slot: consumes {@code queue}, records into {@code sink}, on the thread {@link RehearsalFilter} quiets. */
    static SlotQueue rehearsal(String queue, String sink) {
        return new SlotQueue(queue, List.of(), RehearsalFilter.THREAD, sink);
    }

    /** The channel's publisher, in confirm mode. */
    RoutedChannel route(Channel channel) throws IOException {
        return sink == null ? RoutedChannel.on(channel) : RoutedChannel.into(channel, sink);
    }
}
