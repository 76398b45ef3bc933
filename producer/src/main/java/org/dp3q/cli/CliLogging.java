package org.dp3q.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The command line's logging, set up in code (logback finds it through {@code META-INF/services}): reading an
 * XML configuration cost a tenth of a second at every command's start. The command line speaks to people on
 * stderr and lets only warnings from libraries through; the allocator, which runs for hours, logs one
 * time-stamped line per decision; the broker client's own driver warnings only repeat what the commands say.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr(context, "stderr", "dp3q: %msg%n"));
        context.getLogger("com.rabbitmq.client").setLevel(Level.OFF);
        Logger allocator = context.getLogger("org.dp3q.cli.allocate");
        allocator.setLevel(Level.INFO);
        allocator.setAdditive(false);
        allocator.addAppender(stderr(context, "allocator", "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} dp3q allocate: %msg%n"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
