package org.dp3q.worker.health;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dp3q.worker.announce.Announcer;
import org.dp3q.worker.slot.Slot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the worker should take tasks, and what follows when it should not: a quarantine pauses its slots (or
 * stops the worker with --exit-on-quarantine), an allocation that leaves room for no queued task stops it.
 */
public final class WorkerFitness implements Quarantine.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerFitness.class);

    private final List<Slot> slots;
    private final Quarantine quarantine;
    private final WalltimeAdmission walltime;
    private final boolean exitOnQuarantine;
    private final Announcer announcer;
    /** Asks the worker to drain; false when it already drains. */
    private final BooleanSupplier stop;
    private volatile boolean exitedForQuarantine;

    public WorkerFitness(List<Slot> slots, Quarantine quarantine, WalltimeAdmission walltime, boolean exitOnQuarantine,
                         Announcer announcer, BooleanSupplier stop) {
        this.slots = slots;
        this.quarantine = quarantine;
        this.walltime = walltime;
        this.exitOnQuarantine = exitOnQuarantine;
        this.announcer = announcer;
        this.stop = stop;
    }

    /** Quarantined, or slots that should consume and cannot. */
    public WorkerCondition condition() {
        List<Slot> stuck = slots.stream().filter(slot -> slot.problem() != null).toList();
        String reason = quarantine.active() ? "quarantined: " + quarantine.reason()
                : stuck.isEmpty() ? null : stuck.get(0).problem();
        return new WorkerCondition(quarantine.active(), reason, stuck.stream().map(Slot::index).toList());
    }

    public boolean exitedForQuarantine() {
        return exitedForQuarantine;
    }

    /** Once no queued task can end before the allocation does, the worker drains and exits 0. */
    public void watchWalltime(ScheduledExecutorService timer) {
        if (walltime.end() == null) {
            return;
        }
        LOG.info("allocation ends at {}: no task starts that cannot end by {}", walltime.end(), walltime.deadline());
        Runnable stopIfNothingFits = () -> {
            if (walltime.nothingFits() && stop.getAsBoolean()) {
                LOG.info("no queued task can end before this worker's allocation does ({}); stopping", walltime.end());
            }
        };
        walltime.whenNothingFits(stopIfNothingFits);
        timer.scheduleWithFixedDelay(stopIfNothingFits, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void entered(String reason) {
        slots.forEach(Slot::pause);
        announcer.now();
        if (exitOnQuarantine) {
            exitedForQuarantine = true;
            stop.getAsBoolean();
        }
    }

    @Override
    public void lifted() {
        slots.forEach(Slot::resume);
        announcer.now();
    }
}
