package org.dp3q.event;

/** The worker slot an event comes from. */
public record WorkerRef(String host, Long pid, Integer slot, String tag) {
}
