package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.Map;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.task.AttemptHeaders;

/** One task message as the broker delivered it to a slot, with the channel its delivery tag belongs to. */
public record Delivery(RoutedChannel out, long tag, AMQP.BasicProperties properties, byte[] body) {

    public Channel channel() {
        return out.channel();
    }

    public String messageId() {
        return properties.getMessageId();
    }

    public Map<String, Object> headers() {
        return properties.getHeaders();
    }

    /** This delivery's attempt number, counted from 1 over retries and redeliveries. */
    public int attempt() {
        return AttemptHeaders.attempt(properties.getHeaders());
    }

    /** Deliveries of this task, over all its copies, that died with their run: what the delivery limit bounds. */
    public int lostRuns() {
        return AttemptHeaders.lostRuns(properties.getHeaders());
    }

    /** The worker this task failed fast on before, or null. */
    public String failedFastOn() {
        return AttemptHeaders.failedFastOn(properties.getHeaders());
    }
}
