package org.dp3q.worker.process;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, kills what an earlier crash of this worker left running: the parent-death signal ends the
 * tool itself, not the processes the tool started. Only groups that can be identified safely are killed
 * (see {@link RunRegistry}).
 */
public final class LeftoverReaper {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverReaper.class);

    private LeftoverReaper() {
    }

    /** Returns how many leftover groups were killed. */
    public static int reap(RunRegistry registry) {
        int killed = 0;
        for (RunRegistry.Entry entry : registry.orphaned()) {
            List<ProcInfo> members = ProcInfo.inGroup(entry.pgid());
            boolean ours = members.stream().anyMatch(member ->
                    (member.pid() == entry.pgid() && member.startTicks() == entry.leaderStart())
                            || member.environmentContains(entry.marker()));
            if (ours) {
                LOG.warn("killing {} process(es) of group {} left by task {} when worker pid {} died",
                        members.size(), entry.pgid(), entry.taskId(), entry.workerPid());
                ProcessGroup.kill(entry.pgid());
                killed++;
            } else if (!members.isEmpty()) {
                LOG.info("process group {} of task {} now belongs to other processes; left alone", entry.pgid(),
                        entry.taskId());
            }
            entry.forget();
        }
        return killed;
    }
}
