package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.Map;
import java.util.zip.CRC32C;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.task.AttemptHeaders;

/**
 * One task message as the broker delivered it to a slot, with the channel its delivery tag belongs to. A
 * {@linkplain #detached detached} delivery is one the broker took back while its run went on under a claim: its
 * outcome is recorded on another channel, and there is nothing to ack.
 */
public record Delivery(RoutedChannel out, long tag, boolean redelivered, AMQP.BasicProperties properties, byte[] body) {
    private static final long NO_TAG = -1;

    /** This message, to be recorded on {@code out}, with no delivery to settle. */
    public Delivery detached(RoutedChannel on) {
        return new Delivery(on, NO_TAG, redelivered, properties, body);
    }

    /** False for a detached delivery: the broker has taken it back. */
    public boolean settles() {
        return tag != NO_TAG;
    }

    /**
     * True when a run of this very message may exist already: the broker delivered it before (a redelivery), or it
     * is a copy held while another worker's claim on it was live. Such a delivery runs only once its claim is
     * judged first in the log; a fresh one starts at once, and its claim is judged while it runs.
     */
    public boolean mayHaveRun() {
        return redelivered || AttemptHeaders.deliveryCount(properties.getHeaders()) > 0
                || AttemptHeaders.holds(properties.getHeaders()) > 0;
    }

    /**
     * Which message of its task this is, for claims: the same for the broker's redeliveries of a message and for
     * the copies held in its place (they carry it in {@link AttemptHeaders#COPY}); another for a retried or
     * returned copy (its counters differ), a replayed one (a fresh replay id) or a resubmission (its body differs,
     * in {@code submitted_at} at least).
     */
    public String copyKey() {
        Map<String, Object> headers = properties.getHeaders();
        Object held = headers == null ? null : headers.get(AttemptHeaders.COPY);
        if (held != null) {
            return held.toString();
        }
        CRC32C digest = new CRC32C();
        digest.update(body);
        Object replay = headers == null ? null : headers.get(AttemptHeaders.REPLAY);
        return messageId() + "#" + AttemptHeaders.attemptsBefore(headers) + "." + AttemptHeaders.returns(headers) + "."
                + Long.toHexString(digest.getValue()) + (replay == null ? "" : "." + replay);
    }

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
