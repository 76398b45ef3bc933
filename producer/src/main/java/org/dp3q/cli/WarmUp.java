package org.dp3q.cli;

import com.rabbitmq.client.ConnectionFactory;
import org.dp3q.codec.Json;
import org.slf4j.LoggerFactory;

/**
 * Sets up, on a second core, what a command that talks to the broker needs next while picocli reads the command
 * line on the first: the logging, the JSON mapper and the broker client's classes. Nothing is sent anywhere; a
 * class the command reaches while it is being set up here is simply waited for, never set up twice.
 */
final class WarmUp implements Runnable {
    private WarmUp() {
    }

    static void start() {
        Thread thread = new Thread(new WarmUp(), "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        LoggerFactory.getILoggerFactory();
        Json.line(Json.MAPPER.createObjectNode().put("warm", 1));
        new ConnectionFactory();
    }
}
