package org.dp3q.broker.publish;

import java.io.IOException;

/** The broker confirmed a message it could route to no queue: it is stored nowhere. */
public final class UnroutableException extends IOException {
    public UnroutableException(String message) {
        super(message);
    }
}
