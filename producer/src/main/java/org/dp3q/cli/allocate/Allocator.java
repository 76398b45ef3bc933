package org.dp3q.cli.allocate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.allocate.SlurmJob.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's loop: every {@code --poll-every} it lists its jobs, judges those that ended, counts the pool's
 * ready tasks, submits what {@link Demand} asks for unless {@link PausePolicy} says pause, and announces its state.
 * A look that fails (squeue, the broker) submits nothing that round.
 */
final class Allocator {
    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

    private final AllocatorSettings settings;
    private final Slurm slurm;
    private final Connection connection;
    private final WorkerSightings sightings;
    private final JobTracker jobs = new JobTracker();
    private final PausePolicy pause;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final String host = ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
    private boolean listed;

    Allocator(AllocatorSettings settings, Slurm slurm, Connection connection, WorkerSightings sightings) {
        this.settings = settings;
        this.slurm = slurm;
        this.connection = connection;
        this.sightings = sightings;
        this.pause = new PausePolicy(settings.maxFailures());
    }

    void requestStop() {
        stop.countDown();
    }

    /** Runs rounds until {@link #requestStop}; then cancels its pending jobs if asked to. */
    void run(boolean cancelPendingOnStop) throws InterruptedException {
        do {
            round();
        } while (!stop.await(settings.pollEvery().toMillis(), TimeUnit.MILLISECONDS));
        List<String> pending = jobs.ids(State.PENDING);
        if (cancelPendingOnStop && !pending.isEmpty()) {
            try {
                slurm.cancel(pending);
                LOG.info("allocation {}: cancelled its pending job(s) {}", settings.name(), pending);
            } catch (SlurmException e) {
                LOG.warn("allocation {}: could not cancel its pending jobs {}: {}", settings.name(), pending, e.getMessage());
            }
        } else if (!pending.isEmpty()) {
            LOG.info("allocation {}: its pending job(s) {} stay queued (--cancel-pending to cancel them)", settings.name(), pending);
        }
        announce("stopped");
    }

    private void round() {
        if (sightings.takeResumeRequest() && pause.isPaused()) {
            pause.resume();
            LOG.info("allocation {}: resumed", settings.name());
        }
        if (!listJobs()) {
            announce(state());
            return;
        }
        long ready = readyTasks();
        if (ready >= 0 && !pause.isPaused()) {
            submit(new Demand(ready, settings.slotsPerJob(), jobs.ids(State.PENDING).size(), starting().size(),
                    jobs.ids(State.RUNNING).size() - starting().size()).jobsToSubmit(
                    new Demand.Limits(settings.maxJobs(), settings.backlog())), ready);
        }
        announce(state());
    }

    private boolean listJobs() {
        try {
            List<SlurmJob> listing = slurm.jobs(settings.name());
            for (String ended : jobs.update(listing)) {
                boolean consumed = sightings.consumed(ended);
                boolean wasPaused = pause.isPaused();
                pause.jobEnded(ended, consumed);
                sightings.forget(ended);
                LOG.info("allocation {}: job {} ended{}", settings.name(), ended, consumed ? "" : " without a worker consuming");
                sayIfPaused(wasPaused);
            }
            if (!listed) {
                listed = true;
                LOG.info("allocation {}: found {} job(s) of its own in the SLURM queue", settings.name(), listing.size());
            }
            return true;
        } catch (SlurmException e) {
            LOG.warn("allocation {}: cannot list its jobs, submitting nothing this round: {}", settings.name(), e.getMessage());
            return false;
        }
    }

    private void submit(int count, long ready) {
        for (int i = 0; i < count; i++) {
            boolean wasPaused = pause.isPaused();
            try {
                String id = slurm.submit(settings.sbatchOptions(), settings.jobScript(), settings.jobEnv());
                jobs.submitted(id);
                pause.submitted();
                LOG.info("allocation {}: submitted job {} ({} ready task(s), {} pending, {} running)", settings.name(), id,
                        ready, jobs.ids(State.PENDING).size(), jobs.ids(State.RUNNING).size());
            } catch (SlurmException e) {
                pause.submitFailed(e.getMessage());
                LOG.warn("allocation {}: sbatch failed: {}", settings.name(), e.getMessage());
                sayIfPaused(wasPaused);
                return;
            }
        }
    }

    private void sayIfPaused(boolean wasPaused) {
        if (!wasPaused && pause.isPaused()) {
            LOG.warn("allocation {} paused: {}; fix the cause, then run 'dp3q allocate resume --name {}' or restart it",
                    settings.name(), pause.reason(), settings.name());
        }
    }

    private List<String> starting() {
        List<String> starting = new ArrayList<>();
        jobs.ids(State.RUNNING).stream().filter(id -> !sightings.consumed(id)).forEach(starting::add);
        return starting;
    }

    private long readyTasks() {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(Topology.taskQueue(settings.pool())).getMessageCount();
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.warn("allocation {}: cannot count the ready tasks of pool {}, submitting nothing this round: {}",
                    settings.name(), settings.pool(), e.getMessage());
            return -1;
        }
    }

    private String state() {
        return pause.isPaused() ? "paused" : "active";
    }

    private void announce(String state) {
        List<String> running = jobs.ids(State.RUNNING);
        AllocationAnnouncement announcement = new AllocationAnnouncement(AllocationAnnouncement.SCHEMA, settings.name(),
                settings.pool(), host, ProcessHandle.current().pid(), state, pause.reason(), jobs.ids(State.PENDING).size(),
                running.size(), sightings.liveWorkers(running, Instant.now()), settings.maxJobs(), Instant.now().toString(),
                (int) Math.max(1, settings.pollEvery().toSeconds()));
        try {
            WorkersStreamPost.post(connection, AllocationAnnouncement.TYPE, announcement);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot announce allocation {} now: {}", settings.name(), e.toString());
        }
    }
}
