package org.dp3q.broker.publish;

import java.io.IOException;
import java.util.Set;

/** The broker confirmed a message it could route to no queue: it is stored nowhere. */
public final class UnroutableException extends IOException {
    private final Set<String> exchanges;

    public UnroutableException(String message) {
        this(message, Set.of());
    }

    /** {@code exchanges}: the exchanges of the messages the broker returned. */
    public UnroutableException(String message, Set<String> exchanges) {
        super(message);
        this.exchanges = Set.copyOf(exchanges);
    }

    /** True when every message returned was published to {@code exchange}. */
    public boolean onlyTo(String exchange) {
        return exchanges.equals(Set.of(exchange));
    }
}
