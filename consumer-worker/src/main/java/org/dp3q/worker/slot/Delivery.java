package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

/** One task message as the broker delivered it to a slot, with the channel its delivery tag belongs to. */
public record Delivery(Channel channel, long tag, AMQP.BasicProperties properties, byte[] body) {
    private static final String DELIVERY_COUNT = "x-delivery-count";

    public String messageId() {
        return properties.getMessageId();
    }

    /** Earlier deliveries of this message that ended without an ack (quorum queues count them). */
    public int previousDeliveries() {
        Object count = properties.getHeaders() == null ? null : properties.getHeaders().get(DELIVERY_COUNT);
        return count instanceof Number n ? n.intValue() : 0;
    }
}
