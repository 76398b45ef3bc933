package org.dp3q.worker.process;

/**
 * How one subprocess ended.
 *
 * @param exitCode  the exit status, or null when a signal ended it
 * @param signal    the signal number that ended it, or null
 * @param stoppedBy why dp3q itself stopped it ({@link StopCause#NONE} when it ended on its own)
 * @param usage     CPU time and peak memory of its whole process tree
 * @param stopDetail what stopped it, in a sentence, when the cause needs one ({@link StopCause#GUARD}); else null
 */
public record ProcessOutcome(Integer exitCode, Integer signal, long durationMs, StopCause stoppedBy, String tail,
                             TreeUsage usage, String stopDetail) {
    public ProcessOutcome(Integer exitCode, Integer signal, long durationMs, StopCause stoppedBy, String tail,
                          TreeUsage usage) {
        this(exitCode, signal, durationMs, stoppedBy, tail, usage, null);
    }

    public boolean succeeded() {
        return stoppedBy == StopCause.NONE && exitCode != null && exitCode == 0;
    }
}
