package org.dp3q.worker.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The worker log's time stamp, {@code 2026-12-05T20:46:38.967Z} (local time with its offset, as
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} writes it): the date, time and offset are formatted once a second
 * and the milliseconds appended. logback's own date converter formatted every line anew, a twelfth of a fresh
 * worker's slot thread (logback.xml names this class as {@code %isotime}).
 */
public final class LogTimestamp extends ClassicConverter {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");

    private final ZoneId zone;
    private Second cached = new Second(Long.MIN_VALUE, "", "");

    private record Second(long epochSecond, String text, String offset) {
    }

    public LogTimestamp() {
        this(ZoneId.systemDefault());
    }

    LogTimestamp(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return format(event.getTimeStamp());
    }

    String format(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second second = cached;
        if (second.epochSecond() != epochSecond) {
            var time = Instant.ofEpochSecond(epochSecond).atZone(zone);
            second = new Second(epochSecond, SECONDS.format(time) + ".", OFFSET.format(time));
            cached = second;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        StringBuilder text = new StringBuilder(second.text().length() + 3 + second.offset().length()).append(second.text());
        if (millis < 100) {
            text.append(millis < 10 ? "00" : "0");
        }
        return text.append(millis).append(second.offset()).toString();
    }
}
