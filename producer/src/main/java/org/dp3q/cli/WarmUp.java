package org.dp3q.cli;

import com.rabbitmq.client.ConnectionFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventRecord;
import org.dp3q.event.EventType;
import org.dp3q.task.TaskDigest;
import org.dp3q.task.TaskIdentity;
import org.slf4j.LoggerFactory;

/**
 * Sets up, on a second core, what a command that talks to the broker needs next while picocli reads the command
 * line on the first: the logging, the JSON mapper and the broker client's classes; for {@code submit} also the
 * writing of {@code submitted} events, whose first use (the mapper learning the event's shape) took 25-35 ms on
 * the way to the first chunk's start. Nothing is sent anywhere; a class the command reaches while it is being set
 * up here is simply waited for, never set up twice. The command itself starts only once logging is set up
 * ({@link #awaitLogging()}): SLF4J holds back a line logged during the set-up and replays it under a warning of its own.
 */
final class WarmUp implements Runnable {
    private final String command;
    private final CountDownLatch logging = new CountDownLatch(1);

    private WarmUp(String command) {
        this.command = command;
    }

    /** Starts the warm-up for the command named {@code command} (the first argument; may be null). */
    static WarmUp start(String command) {
        WarmUp warmUp = new WarmUp(command);
        Thread thread = new Thread(warmUp, "warm-up");
        thread.setDaemon(true);
        thread.start();
        return warmUp;
    }

    /** Returns once logging is set up (or its set-up has failed, which SLF4J reports itself). */
    void awaitLogging() throws InterruptedException {
        logging.await();
    }

    @Override
    public void run() {
        try {
            LoggerFactory.getILoggerFactory();
        } finally {
            logging.countDown();
        }
        Json.line(Json.MAPPER.createObjectNode().put("warm", 1));
        new ConnectionFactory();
        if ("submit".equals(command)) {
            Event submitted = submitted(new TaskIdentity("warm-0", "warm", 0, 2));
            EventRecord.of(List.of(submitted, submitted));
        }
    }

    /** A {@code submitted} event of {@code task} as {@code submit} writes it, for warming what writes and reads one. */
    static Event submitted(TaskIdentity task) {
        return Event.of(EventType.SUBMITTED, task).pool("warm")
                .digest(TaskDigest.of(Json.MAPPER.createObjectNode().put("tool", "warm"))).build();
    }
}
