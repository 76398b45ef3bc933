package org.dp3q.broker.topology;

import com.rabbitmq.client.Channel;
import java.io.IOException;

/**
 * One broker object to declare, and how to check it exists without declaring it (null for a binding, which
 * AMQP cannot check).
 *
 * @param what    for messages, e.g. {@code queue dp3q.failed}
 * @param declare the idempotent declaration
 * @param send    the same declaration sent without waiting for the broker's reply (AMQP's no-wait): a refusal
 *                closes the channel, and the next call on it that waits for a reply fails
 * @param check   a passive declaration: fails when the object does not exist
 */
public record Declaration(String what, Step declare, Step send, Step check) {
    /** Something done on a channel; a broker refusal closes the channel and surfaces as an IOException. */
    @FunctionalInterface
    public interface Step {
        void run(Channel channel) throws IOException;
    }
}
