package org.dp3q.event;

import java.time.Instant;
import java.util.Map;
import org.dp3q.task.TaskIdentity;

/**
 * One record of the stream {@code dp3q.events} (see {@code schemas/event.schema.json}). {@code soleRun}, of a
 * {@code started} event only: the run's claim was judged first before the tool started, so no other run of the task
 * is alive (see {@link TaskRuns}).
 */
public record Event(
        String schema,
        EventType event,
        String taskId,
        String batch,
        Integer chunk,
        Integer chunks,
        String pool,
        Integer attempt,
        String time,
        WorkerRef worker,
        Integer exitCode,
        Integer signal,
        Long durationMs,
        Long cpuMs,
        Long maxRssKb,
        String log,
        String stderrTail,
        Reason reason,
        String message,
        Map<String, String> labels,
        String digest,
        Boolean soleRun) {

    public static final String SCHEMA = "dp3q.event/1";

    public static Builder of(EventType type, TaskIdentity task) {
        return new Builder(type, task);
    }

    public boolean isAbout(String batchName) {
        return batchName.equals(batch);
    }

    /** Builds an event; only the fields an event type needs are set, the rest stay absent from the JSON. */
    public static final class Builder {
        private final EventType type;
        private final TaskIdentity task;
        private String pool;
        private Integer attempt;
        private WorkerRef worker;
        private Integer exitCode;
        private Integer signal;
        private Long durationMs;
        private Long cpuMs;
        private Long maxRssKb;
        private String log;
        private String stderrTail;
        private Reason reason;
        private String message;
        private Map<String, String> labels;
        private Instant time;
        private String digest;
        private Boolean soleRun;

        private Builder(EventType type, TaskIdentity task) {
            this.type = type;
            this.task = task;
        }

        public Builder pool(String value) { pool = value; return this; }
        public Builder attempt(int value) { attempt = value; return this; }
        public Builder worker(WorkerRef value) { worker = value; return this; }
        public Builder exitCode(Integer value) { exitCode = value; return this; }
        public Builder signal(Integer value) { signal = value; return this; }
        public Builder durationMs(long value) { durationMs = value; return this; }
        public Builder cpuMs(Long value) { cpuMs = value; return this; }
        public Builder maxRssKb(Long value) { maxRssKb = value; return this; }
        public Builder log(String value) { log = value; return this; }
        public Builder stderrTail(String value) { stderrTail = value; return this; }
        public Builder reason(Reason value) { reason = value; return this; }
        public Builder message(String value) { message = value; return this; }
        public Builder labels(Map<String, String> value) { labels = value; return this; }
        public Builder time(Instant value) { time = value; return this; }
        /** Of a {@code submitted} event: the task's {@link org.dp3q.task.TaskDigest}. */
        public Builder digest(String value) { digest = value; return this; }
        /** Of a {@code started} event: the run's claim was judged first, no other run of the task is alive. */
        public Builder soleRun(boolean value) { soleRun = value ? Boolean.TRUE : null; return this; }

        public Event build() {
            Instant at = time != null ? time : Instant.now();
            return new Event(SCHEMA, type, task.taskId(), task.batch(), task.chunk(), task.chunks(), pool, attempt,
                    at.toString(), worker, exitCode, signal, durationMs, cpuMs, maxRssKb, log, stderrTail, reason,
                    message, labels, digest, soleRun);
        }
    }
}
