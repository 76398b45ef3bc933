package org.dp3q.worker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker's logging, as its logback.xml sets it up, drops what the rehearsal slot's thread logs below a warning,
 * and nothing else: the same lines from a real slot, and the rehearsal's warnings, are logged.
 */
class RehearsalFilterTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger logger = context.getLogger("org.dp3q.worker.slot.TaskHandler");
    private final ListAppender<ILoggingEvent> appended = new ListAppender<>();

    @BeforeEach
    void listen() {
        appended.setContext(context);
        appended.start();
        logger.addAppender(appended);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(appended);
        appended.stop();
    }

    @Test
    void the_rehearsal_threads_info_lines_are_dropped_and_its_warnings_kept() throws InterruptedException {
        Thread rehearsal = new Thread(() -> {
            logger.info("started task dp3q-rehearsal/0");
            logger.warn("invalid task dp3q-rehearsal/1");
        }, RehearsalFilter.THREAD);
        Thread slot = new Thread(() -> logger.info("started task b/0"), "slot-0");
        rehearsal.start();
        rehearsal.join();
        slot.start();
        slot.join();

        assertEquals(List.of("invalid task dp3q-rehearsal/1", "started task b/0"),
                appended.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}
