package org.dp3q.broker.publish;

import java.util.List;

/**
 * What the broker did not accept: {@code notConfirmed} were nacked or never confirmed; {@code unroutable}
 * were returned because no queue is bound for their routing key (an unknown pool).
 */
public record PublishResult(List<String> notConfirmed, List<String> unroutable) {
    public boolean allAccepted() {
        return notConfirmed.isEmpty() && unroutable.isEmpty();
    }
}
