package org.dp3q.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging is set up on the warm-up thread while picocli reads the command line. A command that logs before that
 * set-up has ended had its line held back by SLF4J and replayed under a three-line SLF4J warning on stderr (seen on
 * about one run in forty of {@code dp3q failed}); a command starts only once logging is set up.
 */
class LoggingSetUpTest {
    @TempDir
    Path services;

    @Test
    void a_command_that_logs_at_once_logs_its_line_plainly_even_when_logging_is_slow_to_set_up() throws Exception {
        Path registration = services.resolve("META-INF/services/" + Configurator.class.getName());
        Files.createDirectories(registration.getParent());
        Files.writeString(registration, SlowCliLogging.class.getName() + "\n");
        // nothing listens on port 1 of this machine: the command warns at once that the broker is down, then retries
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", services + File.pathSeparator + System.getProperty("java.class.path"), Dp3qCommand.class.getName(),
                "failed", "--broker", "amqp://guest:guest@127.0.0.1:1/", "--broker-timeout", "3s");
        builder.redirectErrorStream(true);
        builder.environment().remove("DP3Q_BROKER");
        Process command = builder.start();
        command.getOutputStream().close();
        assertTrue(command.waitFor(60, TimeUnit.SECONDS), "dp3q failed ends once its --broker-timeout has passed");
        String output = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(ExitCodes.BROKER, command.exitValue(), output);
        assertTrue(output.contains("dp3q: broker amqp://guest:****@127.0.0.1:1/ is down"), output);
        assertFalse(output.contains("SLF4J"), output);
    }

    /** The command line's own logging, set up half a second late (the window a slow set-up leaves, made wide). */
    public static final class SlowCliLogging extends ContextAwareBase implements Configurator {
        @Override
        public ExecutionStatus configure(LoggerContext context) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CliLogging logging = new CliLogging();
            logging.setContext(context);
            return logging.configure(context);
        }
    }
}
