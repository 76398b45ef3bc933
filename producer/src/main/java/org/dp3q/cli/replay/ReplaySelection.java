package org.dp3q.cli.replay;

import java.util.Set;
import org.dp3q.failed.FailedRecord;

/** Which failed tasks a replay takes: by batch, chunk numbers and reason; all when {@code --all}. */
record ReplaySelection(String batch, Set<Integer> chunks, String reason, boolean all) {
    ReplaySelection {
        if (!all && batch == null && reason == null) {
            throw new IllegalArgumentException("say what to replay: --batch B, --reason R, or --all");
        }
        if (!chunks.isEmpty() && batch == null) {
            throw new IllegalArgumentException("--chunk needs --batch");
        }
    }

    boolean matches(FailedRecord record) {
        return (batch == null || batch.equals(record.batch()))
                && (chunks.isEmpty() || (record.chunk() != null && chunks.contains(record.chunk())))
                && (reason == null || reason.equals(record.reason()));
    }
}
