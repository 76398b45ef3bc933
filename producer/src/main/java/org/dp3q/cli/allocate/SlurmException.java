package org.dp3q.cli.allocate;

/** A SLURM command failed; the message is its first line of complaint, fit for one log line. */
public final class SlurmException extends Exception {
    public SlurmException(String message) {
        super(message);
    }
}
