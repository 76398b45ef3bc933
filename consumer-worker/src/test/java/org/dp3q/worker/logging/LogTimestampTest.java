package org.dp3q.worker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogTimestampTest {
    private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    @Test
    void writes_what_the_pattern_it_replaces_writes_in_any_zone_across_seconds_and_offset_changes() {
        Random random = new Random(7);
        for (String zoneName : List.of("UTC", "Europe/Amsterdam", "Australia/Perth", "America/St_Johns", "Asia/Kolkata")) {
            ZoneId zone = ZoneId.of(zoneName);
            LogTimestamp timestamp = new LogTimestamp(zone);
            // a daylight-saving change in Amsterdam, then random instants, some within the same second
            long millis = Instant.parse("2026-10-25T00:59:58.000Z").toEpochMilli();
            for (int i = 0; i < 20_000; i++) {
                millis += i % 3 == 0 ? random.nextInt(3) : random.nextInt(2_000);
                if (i == 10_000) {
                    millis = -1_234L;
                }
                assertEquals(PATTERN.format(Instant.ofEpochMilli(millis).atZone(zone)), timestamp.format(millis),
                        zoneName + " at " + millis);
            }
        }
    }

    @Test
    void the_worker_logging_configuration_loads_without_a_word_from_logback() throws Exception {
        // a warning or an error makes logback print its whole status at every worker start
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogTimestampTest.class.getResource("/logback.xml"));
        List<String> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(status -> status.getLevel() >= Status.WARN).map(Status::getMessage).toList();
        assertTrue(problems.isEmpty(), "logback said: " + problems);
        var appender = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        String pattern = ((PatternLayoutEncoder) appender.getEncoder()).getPattern();
        assertTrue(pattern.startsWith("%isotime "), pattern);
        context.stop();
    }
}
