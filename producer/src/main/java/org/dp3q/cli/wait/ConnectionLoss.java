package org.dp3q.cli.wait;

import com.rabbitmq.client.ShutdownSignalException;

/**
 * Tells a lost connection (the broker stopped, restarted or dropped it) from a refusal (a channel closed for a
 * reason, such as access refused or a missing stream): the first is waited out, the second is reported.
 */
final class ConnectionLoss {
    private ConnectionLoss() {
    }

    /** True when {@code failure}, or what caused it, is the connection's shutdown, not one channel's. */
    static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException shutdown) {
                return shutdown.isHardError();
            }
        }
        return false;
    }
}
