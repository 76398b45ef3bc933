package org.dp3q.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The command line's log lines: what the pattern layouts wrote before ({@code dp3q: %msg%n}, exception and all). */
class CliLoggingTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void a_warning_is_one_line_after_the_prefix() {
        LoggingEvent event = new LoggingEvent("x", context.getLogger("org.dp3q.x"), Level.WARN,
                "broker {} is down; retrying every {} s", null, new Object[] {"amqp://host", 5});
        assertEquals("dp3q: broker amqp://host is down; retrying every 5 s" + System.lineSeparator(),
                CliLogging.LineEncoder.line("dp3q: ", event));
    }

    @Test
    void an_exception_follows_its_line_with_its_stack() {
        LoggingEvent event = new LoggingEvent("x", context.getLogger("org.dp3q.x"), Level.WARN, "reading failed",
                new IOException("disk gone"), null);
        String line = CliLogging.LineEncoder.line("dp3q: ", event);
        assertTrue(line.startsWith("dp3q: reading failed" + System.lineSeparator() + "java.io.IOException: disk gone"), line);
        assertTrue(line.contains("at org.dp3q.cli.CliLoggingTest"), line);
    }
}
