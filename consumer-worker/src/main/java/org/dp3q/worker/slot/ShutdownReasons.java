package org.dp3q.worker.slot;

import com.rabbitmq.client.ShutdownSignalException;

/** Says in words why the broker closed a channel, naming {@code consumer_timeout} when that was the cause. */
final class ShutdownReasons {
    private ShutdownReasons() {
    }

    static String describe(ShutdownSignalException cause) {
        String message = String.valueOf(cause.getMessage());
        if (message.contains("delivery acknowledgement") && message.contains("timed out")) {
            return "the broker's consumer_timeout expired while the subprocess ran; raise consumer_timeout above the"
                    + " longest chunk (see broker/rabbitmq.conf)";
        }
        String scope = cause.isHardError() ? "connection" : "channel";
        Object reason = cause.getReason();
        String detail = reason instanceof com.rabbitmq.client.AMQP.Channel.Close close ? close.getReplyText()
                : reason instanceof com.rabbitmq.client.AMQP.Connection.Close close ? close.getReplyText()
                : message;
        return scope + " closed: " + detail;
    }
}
