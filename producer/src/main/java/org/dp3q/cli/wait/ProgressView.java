package org.dp3q.cli.wait;

import java.time.Instant;
import org.dp3q.event.BatchProgress;

/** Shows a waiting batch's progress to a person: a live bar on a terminal, plain lines elsewhere. */
public interface ProgressView extends AutoCloseable {
    void show(BatchProgress progress, Instant now);

    @Override
    void close();

    static ProgressView choose(String mode, String batch) {
        boolean terminal = System.console() != null;
        return switch (mode) {
            case "bar" -> new BarView(batch);
            case "lines" -> new LineView(System.err);
            case "none" -> new SilentView();
            default -> terminal ? new BarView(batch) : new LineView(System.err);
        };
    }

    static String summary(BatchProgress progress, Instant now) {
        var counts = progress.counts();
        Integer total = progress.total();
        var eta = progress.eta(now);
        return String.format("%s: %d done, %d failed, %d running of %s; %.2f tasks/s%s",
                progress.batch(), progress.done(), counts.get(org.dp3q.event.TaskState.FAILED),
                counts.get(org.dp3q.event.TaskState.RUNNING), total == null ? "?" : total.toString(),
                progress.rate(now), eta == null ? "" : "; ETA " + Durations.human(eta));
    }

    /** Nothing shown (scripts that only want the exit code or --json). */
    final class SilentView implements ProgressView {
        @Override
        public void show(BatchProgress progress, Instant now) {
        }

        @Override
        public void close() {
        }
    }
}
