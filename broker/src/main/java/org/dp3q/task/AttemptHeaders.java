package org.dp3q.task;

import java.util.HashMap;
import java.util.Map;

/**
 * How a task message carries its history. A failed attempt that may be retried is republished with
 * {@link #ATTEMPTS} set to its attempt number; runs the broker redelivered since (crash, lost delivery) show in
 * the quorum queue's {@code x-delivery-count}. Attempt number = attempts + redeliveries + 1.
 * <p>
 * A task given back without counting (drain, walltime, a suspect node) is republished with its counters carried
 * in headers, since a republished message starts a fresh {@code x-delivery-count}: the runs that died with their
 * worker stay counted in {@link #LOST_RUNS}, so the delivery limit still ends a task that kills every worker.
 */
public final class AttemptHeaders {
    /** Attempts of this task made before this message was republished (absent: none). */
    public static final String ATTEMPTS = "dp3q-attempts";
    /** Set by quorum queues on a redelivered message: earlier deliveries that ended without an ack. */
    public static final String DELIVERY_COUNT = "x-delivery-count";
    /** Deliveries of earlier copies of this message that ended without an ack (runs that died with their worker). */
    public static final String LOST_RUNS = "dp3q-lost-runs";
    /** Times this task was given back by a draining worker. */
    public static final String DRAINS = "dp3q-drains";
    /** Times this task was given back without counting, for any reason. */
    public static final String RETURNS = "dp3q-returns";
    /** The worker that gave this task back after it failed fast there: the next failure elsewhere is final. */
    public static final String FAILED_FAST_ON = "dp3q-failed-fast-on";

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

    /** Deliveries of this task, all copies together, that ended without an ack: what the delivery limit bounds. */
    public static int lostRuns(Map<String, Object> headers) {
        return number(headers, LOST_RUNS) + deliveryCount(headers);
    }

    public static int drains(Map<String, Object> headers) {
        return number(headers, DRAINS);
    }

    public static int returns(Map<String, Object> headers) {
        return number(headers, RETURNS);
    }

    /** Times this copy was held because another worker's claim on it was live (it keeps its attempt and returns). */
    public static final String HOLDS = "dp3q-holds";

    /** Set by a replay: each replayed copy is a message of its own. */
    public static final String REPLAY = "dp3q-replay";
    /** On a held copy: which message it is a copy of, for claims (see {@code Delivery.copyKey} in the worker). */
    public static final String COPY = "dp3q-copy";

    public static int holds(Map<String, Object> headers) {
        return number(headers, HOLDS);
    }

    /**
     * The headers of a copy held while another run's claim is live: the same attempt, the same returns (it is the
     * same message, whose run goes on elsewhere), the lost runs counted so far, this delivery's included, and the
     * original's copy key (the attempt number now counts this delivery).
     */
    public static Map<String, Object> held(Map<String, Object> original, String copyKey) {
        Map<String, Object> headers = new HashMap<>();
        if (original != null) {
            headers.putAll(original);
        }
        headers.putIfAbsent(COPY, copyKey);
        headers.remove(DELIVERY_COUNT);
        headers.put(ATTEMPTS, attempt(original) - 1);
        headers.put(LOST_RUNS, lostRuns(original));
        headers.put(HOLDS, holds(original) + 1);
        return headers;
    }

    /** The worker this task failed fast on before, or null. */
    public static String failedFastOn(Map<String, Object> headers) {
        Object value = headers == null ? null : headers.get(FAILED_FAST_ON);
        return value == null ? null : value.toString();
    }

    /**
     * The headers of a task given back without counting this delivery: the next delivery has the same attempt
     * number, the lost runs so far stay counted, and the return is noted ({@code drained}: as a drain too;
     * {@code failedFastOn}: the worker it failed fast on, or null).
     */
    public static Map<String, Object> returnedUncounted(Map<String, Object> original, boolean drained, String failedFastOn) {
        Map<String, Object> headers = new HashMap<>();
        if (original != null) {
            headers.putAll(original);
        }
        headers.remove(DELIVERY_COUNT);
        forgetHolds(headers);
        headers.put(ATTEMPTS, attempt(original) - 1);
        headers.put(LOST_RUNS, lostRuns(original));
        headers.put(RETURNS, returns(original) + 1);
        if (drained) {
            headers.put(DRAINS, drains(original) + 1);
        }
        if (failedFastOn != null) {
            headers.put(FAILED_FAST_ON, failedFastOn);
        }
        return headers;
    }

    /** A new copy of a task (a retry, a return) is not the message it was made from: it was never held. */
    public static void forgetHolds(Map<String, Object> headers) {
        headers.remove(HOLDS);
        headers.remove(COPY);
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
