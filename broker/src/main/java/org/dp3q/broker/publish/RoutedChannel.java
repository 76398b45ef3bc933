package org.dp3q.broker.publish;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * A confirm-mode channel whose every publish is {@code mandatory}: a message no queue takes comes back, and the
 * next {@link #confirm} fails for it. A broker confirms an unroutable message, so a confirm alone does not mean
 * stored. The broker returns a message before it confirms it, so the return is known by the time of the confirm.
 */
public final class RoutedChannel {
    private final Channel channel;
    private final List<String> returned = new ArrayList<>();
    private final Set<String> returnedExchanges = new HashSet<>();

    private RoutedChannel(Channel channel) {
        this.channel = channel;
    }

    /** Puts {@code channel} in confirm mode and listens to what it gets back. */
    public static RoutedChannel on(Channel channel) throws IOException {
        channel.confirmSelect();
        RoutedChannel routed = new RoutedChannel(channel);
        channel.addReturnListener(back -> routed.noteReturned(back.getExchange(), back.getExchange() + " -> "
                + back.getRoutingKey() + " (" + back.getReplyText() + ")"));
        return routed;
    }

    public Channel channel() {
        return channel;
    }

    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException {
        channel.basicPublish(exchange, routingKey, true, properties, body);
    }

    /** Waits until the broker confirmed everything published so far; fails if any of it was nacked or unroutable. */
    public void confirm(long timeoutMs) throws IOException, InterruptedException, TimeoutException {
        channel.waitForConfirmsOrDie(timeoutMs);
        List<String> lost;
        Set<String> exchanges;
        synchronized (returned) {
            lost = List.copyOf(returned);
            exchanges = Set.copyOf(returnedExchanges);
            returned.clear();
            returnedExchanges.clear();
        }
        if (!lost.isEmpty()) {
            throw new UnroutableException("no queue took " + String.join(", ", lost), exchanges);
        }
    }

    private void noteReturned(String exchange, String what) {
        synchronized (returned) {
            returned.add(what);
            returnedExchanges.add(exchange);
        }
    }
}
