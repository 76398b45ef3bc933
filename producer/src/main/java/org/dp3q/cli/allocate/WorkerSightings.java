package org.dp3q.cli.allocate;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.workers.WorkerAnnouncement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the allocator hears on {@code dp3q.workers}: the workers of its jobs (tagged {@code <name>.<job id>} by
 * the job script), which tells a job whose worker consumed from one that never got that far, and the resume
 * requests for it. A worker announces itself only once its slots consume.
 */
final class WorkerSightings implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerSightings.class);
    private static final Duration LOOK_BACK = Duration.ofMinutes(1);
    private static final int SILENT_INTERVALS = 3;

    private final String name;
    private final Instant since;
    private final Set<String> consumedJobs = new HashSet<>();
    private final Map<String, WorkerAnnouncement> latest = new HashMap<>();
    private boolean resumeRequested;
    private StreamReader reader;

    private WorkerSightings(String name, Instant since) {
        this.name = name;
        this.since = since;
    }

    static WorkerSightings follow(Connection connection, String name) throws IOException {
        Instant now = Instant.now();
        WorkerSightings sightings = new WorkerSightings(name, now);
        sightings.reader = StreamReader.since(connection, Topology.WORKERS_STREAM, Date.from(now.minus(LOOK_BACK)),
                sightings::accept);
        return sightings;
    }

    /** The tag the job script gives the workers of a job of allocation {@code name}. */
    static String tag(String name, String jobId) {
        return name + "." + jobId;
    }

    private void accept(StreamReader.Record record) {
        try {
            String type = record.properties().getType();
            if (ResumeRequest.TYPE.equals(type)) {
                ResumeRequest request = Json.read(record.body(), ResumeRequest.class);
                if (name.equals(request.name()) && !Instant.parse(request.time()).isBefore(since)) {
                    synchronized (this) {
                        resumeRequested = true;
                    }
                }
            } else if (type == null) {
                WorkerAnnouncement announcement = Json.read(record.body(), WorkerAnnouncement.class);
                String jobId = jobOf(announcement.tag());
                if (WorkerAnnouncement.SCHEMA.equals(announcement.schema()) && jobId != null) {
                    synchronized (this) {
                        consumedJobs.add(jobId);
                        latest.put(announcement.key(), announcement);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("skipping a record of {} that is not what it should be: {}", Topology.WORKERS_STREAM, e.toString());
        }
    }

    private String jobOf(String tag) {
        String prefix = name + ".";
        return tag != null && tag.startsWith(prefix) ? tag.substring(prefix.length()) : null;
    }

    synchronized boolean consumed(String jobId) {
        return consumedJobs.contains(jobId);
    }

    /** Workers of these jobs that announced themselves lately and have not stopped. */
    synchronized int liveWorkers(Collection<String> jobIds, Instant now) {
        return (int) latest.values().stream()
                .filter(a -> jobIds.contains(jobOf(a.tag())) && !"stopped".equals(a.state()))
                .filter(a -> Duration.between(Instant.parse(a.time()), now).toSeconds() <= (long) SILENT_INTERVALS * a.intervalS())
                .count();
    }

    /** Whether a resume was asked for since the last call. */
    synchronized boolean takeResumeRequest() {
        boolean requested = resumeRequested;
        resumeRequested = false;
        return requested;
    }

    /** Drops what is known of a job that ended. */
    synchronized void forget(String jobId) {
        consumedJobs.remove(jobId);
        latest.values().removeIf(a -> jobId.equals(jobOf(a.tag())));
    }

    @Override
    public void close() {
        reader.close();
    }
}
