package org.dp3q.cli.wait;

import java.time.Instant;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.TaskState;

/** A live progress bar on the terminal: tasks finished of total, with failed and running counts and ETA. */
final class BarView implements ProgressView {
    private final ProgressBar bar;

    BarView(String batch) {
        bar = new ProgressBarBuilder().setTaskName(batch).setInitialMax(-1).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(500).showSpeed().setUnit(" tasks", 1).build();
    }

    @Override
    public void show(BatchProgress progress, Instant now) {
        Integer total = progress.total();
        if (total != null) {
            bar.maxHint(total);
        }
        bar.stepTo(progress.terminal());
        var counts = progress.counts();
        bar.setExtraMessage(String.format(" done %d, failed %d, running %d", progress.done(), counts.get(TaskState.FAILED),
                counts.get(TaskState.RUNNING)));
    }

    @Override
    public void close() {
        bar.close();
    }
}
