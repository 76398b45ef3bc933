package org.dp3q.batch;

/**
 * Where a batch's events begin in {@code dp3q.events}: a lower bound, or null for the stream's start. Not
 * {@code exact} when it came from a worker's index record: the first reader then records a tighter one.
 */
public record BatchStart(Long eventsOffset, boolean exact) {
    /** The {@code x-stream-offset} to subscribe from: a number, or "first". */
    public Object subscribeFrom() {
        return eventsOffset == null ? "first" : (Object) eventsOffset;
    }
}
