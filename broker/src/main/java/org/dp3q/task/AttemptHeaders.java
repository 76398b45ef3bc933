package org.dp3q.task;

import java.util.Map;

/**
 * How a task message carries its attempt count. A failed attempt that may be retried is republished with
 * {@link #ATTEMPTS} set to its attempt number; runs the broker redelivered since (crash, lost delivery,
 * drain) show in the quorum queue's {@code x-delivery-count}. Attempt number = attempts + redeliveries + 1.
 */
public final class AttemptHeaders {
    /** Attempts of this task made before this message was republished for a retry (absent: none). */
    public static final String ATTEMPTS = "dp3q-attempts";
    /** Set by quorum queues on a redelivered message: earlier deliveries that ended without an ack. */
    public static final String DELIVERY_COUNT = "x-delivery-count";

    private AttemptHeaders() {
    }

    public static int attemptsBefore(Map<String, Object> headers) {
        return number(headers, ATTEMPTS);
    }

    public static int deliveryCount(Map<String, Object> headers) {
        return number(headers, DELIVERY_COUNT);
    }

    public static int attempt(Map<String, Object> headers) {
        return attemptsBefore(headers) + deliveryCount(headers) + 1;
    }

    private static int number(Map<String, Object> headers, String name) {
        Object value = headers == null ? null : headers.get(name);
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? 0 : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
