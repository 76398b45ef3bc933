package org.dp3q.cli.wait;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import org.dp3q.event.BatchProgress;

/** Plain progress lines for logs and pipes: one when something changed, at most every few seconds, and a heartbeat. */
final class LineView implements ProgressView {
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofSeconds(60);

    private final PrintStream out;
    private String lastLine = "";
    private Instant lastPrinted = Instant.EPOCH;

    LineView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void show(BatchProgress progress, Instant now) {
        Duration since = Duration.between(lastPrinted, now);
        if (since.compareTo(MIN_INTERVAL) < 0) {
            // nothing is printed this soon after a line, whatever changed: no line is built after every event
            return;
        }
        String line = ProgressView.summary(progress, now);
        boolean changed = !stripRate(line).equals(stripRate(lastLine));
        if (changed || since.compareTo(HEARTBEAT) >= 0) {
            out.println(line);
            lastLine = line;
            lastPrinted = now;
        }
    }

    private static String stripRate(String line) {
        int cut = line.indexOf(';');
        return cut < 0 ? line : line.substring(0, cut);
    }

    @Override
    public void close() {
        out.flush();
    }
}
