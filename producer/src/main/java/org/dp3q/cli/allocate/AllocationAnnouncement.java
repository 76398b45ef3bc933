package org.dp3q.cli.allocate;

/**
 * What a running allocator tells {@code dp3q status} every few seconds on the stream {@code dp3q.workers}, beside
 * the workers' own announcements (AMQP type {@link #TYPE}; worker announcements carry none).
 *
 * @param state      {@code active}, {@code paused} or {@code stopped}
 * @param reason     why it is paused, in one line; absent while active
 * @param workers    live workers of its jobs
 * @param intervalS  seconds between announcements, so a reader can tell a silent allocator
 */
public record AllocationAnnouncement(String schema, String name, String pool, String host, long pid, String state,
                                     String reason, int jobsPending, int jobsRunning, int workers, int maxJobs,
                                     String time, int intervalS) {
    public static final String SCHEMA = "dp3q.allocation/1";
    public static final String TYPE = "dp3q.allocation";
}
