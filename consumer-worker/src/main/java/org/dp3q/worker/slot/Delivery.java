package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.dp3q.task.AttemptHeaders;

/** One task message as the broker delivered it to a slot, with the channel its delivery tag belongs to. */
public record Delivery(Channel channel, long tag, AMQP.BasicProperties properties, byte[] body) {

    public String messageId() {
        return properties.getMessageId();
    }

    /** Earlier deliveries of this message that ended without an ack (quorum queues count them). */
    public int previousDeliveries() {
        return AttemptHeaders.deliveryCount(properties.getHeaders());
    }

    /** This delivery's attempt number, counted from 1 over retries and redeliveries. */
    public int attempt() {
        return AttemptHeaders.attempt(properties.getHeaders());
    }
}
