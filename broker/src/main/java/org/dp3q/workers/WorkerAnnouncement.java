package org.dp3q.workers;

import java.util.List;

/**
 * What a worker tells about itself every few seconds on the stream {@code dp3q.workers}: who it is, whether it
 * takes tasks, and what each busy slot runs with the subprocess tree's CPU and memory so far. A worker that
 * stops announcing is gone, not busy forever.
 *
 * @param state          {@code running}, {@code draining}, {@code quarantined} or {@code stopped}
 * @param intervalS      seconds between announcements, so a reader can tell a silent worker
 * @param logsUrl        where the worker serves its attempt logs ({@code --http-port}): this URL followed by a
 *                       log's path relative to {@code logDir}; null when it serves none
 * @param logDir         the worker's {@code --log-dir}, absolute
 * @param reason         why the worker is quarantined, or why a slot cannot consume; null when all is well
 * @param notConsuming   slots that should consume but cannot (e.g. a permission missing); null or empty when none
 */
public record WorkerAnnouncement(String schema, String host, long pid, String tag, String pool, int slots, String state,
                                 String time, int intervalS, List<SlotActivity> busy, String logsUrl,
                                 String logDir, String reason, List<Integer> notConsuming) {
    public static final String SCHEMA = "dp3q.worker/1";

    /** One busy slot. */
    public record SlotActivity(int slot, String taskId, String batch, Integer chunk, int attempt, String since,
                               long cpuMs, long rssKb) {
    }

    public String key() {
        return host + "/" + pid;
    }
}
