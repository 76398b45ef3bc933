package org.dp3q.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * The command line's logging, set up in code (logback finds it through {@code META-INF/services}): reading an
 * XML configuration cost a tenth of a second at every command's start, and so did logback's pattern layouts,
 * whose first use bootstraps some sixty converter constructors; the lines here are written by a small encoder of
 * their own. The command line speaks to people on stderr and lets only warnings from libraries through; the
 * allocator, which runs for hours, logs one time-stamped line per decision; the broker client's own driver
 * warnings only repeat what the commands say.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr(context, "stderr", event -> "dp3q: "));
        context.getLogger("com.rabbitmq.client").setLevel(Level.OFF);
        Logger allocator = context.getLogger("org.dp3q.cli.allocate");
        allocator.setLevel(Level.INFO);
        allocator.setAdditive(false);
        allocator.addAppender(stderr(context, "allocator", event -> STAMP.format(OffsetDateTime.ofInstant(
                Instant.ofEpochMilli(event.getTimeStamp()), ZoneId.systemDefault())) + " dp3q allocate: "));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name,
                                                         Function<ILoggingEvent, String> prefix) {
        LineEncoder encoder = new LineEncoder(prefix);
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** One line per event: the prefix, the message and, when there is one, the exception with its stack. */
    static final class LineEncoder extends EncoderBase<ILoggingEvent> {
        private final Function<ILoggingEvent, String> prefix;

        LineEncoder(Function<ILoggingEvent, String> prefix) {
            this.prefix = prefix;
        }

        @Override
        public byte[] headerBytes() {
            return null;
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return line(prefix.apply(event), event).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] footerBytes() {
            return null;
        }

        static String line(String prefix, ILoggingEvent event) {
            StringBuilder line = new StringBuilder(prefix).append(event.getFormattedMessage()).append(System.lineSeparator());
            if (event.getThrowableProxy() != null) {
                line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(System.lineSeparator());
            }
            return line.toString();
        }
    }
}
