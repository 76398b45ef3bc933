package org.dp3q.task;

/**
 * A task message that can never run as it is: reject it to the failed queue with reason {@code invalid},
 * never requeue it. Carries whatever identity could still be read, so the batch's barrier learns of it.
 */
public class InvalidTaskException extends Exception {
    private final TaskIdentity identity;

    public InvalidTaskException(String message, TaskIdentity identity) {
        super(message);
        this.identity = identity;
    }

    public TaskIdentity identity() {
        return identity;
    }
}
