package org.dp3q.cli.dashboard.view;

import java.util.List;
import org.dp3q.cli.status.WorkerRoster;
import org.dp3q.workers.WorkerAnnouncement;
import org.dp3q.workers.WorkerAnnouncement.SlotActivity;

/** A worker's line: pool, slots busy and idle, state, and what each busy slot runs with its live CPU and memory. */
public record WorkerRow(String tag, String host, long pid, String pool, int slots, int busy, int idle, String state,
                        long silentS, List<SlotActivity> running, boolean servesLogs) {

    public static WorkerRow of(WorkerRoster.Seen seen) {
        WorkerAnnouncement a = seen.last();
        boolean live = seen.state().equals("running") || seen.state().equals("draining");
        List<SlotActivity> running = live && a.busy() != null ? a.busy() : List.of();
        return new WorkerRow(a.tag(), a.host(), a.pid(), a.pool(), a.slots(), running.size(),
                live ? a.slots() - running.size() : 0, seen.state(), seen.silentForS(), running, a.logsUrl() != null);
    }
}
