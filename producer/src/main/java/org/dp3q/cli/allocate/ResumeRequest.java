package org.dp3q.cli.allocate;

/** {@code dp3q allocate resume}: asks the allocator of this name to lift its pause (AMQP type {@link #TYPE}). */
public record ResumeRequest(String schema, String name, String time) {
    public static final String SCHEMA = "dp3q.allocation-resume/1";
    public static final String TYPE = "dp3q.allocation.resume";
}
