package org.dp3q.cli.allocate;

/** One of the allocation's jobs as {@code squeue} lists it. */
public record SlurmJob(String id, State state) {
    /** What a job means to the allocator. */
    public enum State {
        /** not started: its slots will come */
        PENDING,
        /** started (or starting): its worker runs */
        RUNNING,
        /** completing, cancelled, failed...: on its way out, brings no slot */
        ENDING;

        /** From squeue's long state name ({@code %T}). */
        public static State of(String squeueState) {
            return switch (squeueState) {
                case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED" -> PENDING;
                case "RUNNING", "CONFIGURING", "RESIZING", "SIGNALING", "STAGE_OUT" -> RUNNING;
                default -> ENDING;
            };
        }
    }
}
