package org.dp3q.broker.publish;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A confirm-mode channel whose every publish is {@code mandatory}: a message no queue takes comes back, and the
 * next {@link #confirm} fails for it. A broker confirms an unroutable message, so a confirm alone does not mean
 * stored. The broker returns a message before it confirms it, so the return is known by the time of the confirm.
 */
public final class RoutedChannel {
    private final Channel channel;
    private final List<Returned> returned = new ArrayList<>();

    /** A message the broker gave back: where it was published, and the line that names it. */
    private record Returned(String exchange, String what) {
    }

    private RoutedChannel(Channel channel) {
        this.channel = channel;
    }

    /** Puts {@code channel} in confirm mode and listens to what it gets back. */
    public static RoutedChannel on(Channel channel) throws IOException {
        channel.confirmSelect();
        RoutedChannel routed = new RoutedChannel(channel);
        channel.addReturnListener(back -> routed.noteReturned(new Returned(back.getExchange(), back.getExchange()
                + " -> " + back.getRoutingKey() + " (" + back.getReplyText() + ")")));
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
        List<Returned> lost;
        synchronized (returned) {
            lost = List.copyOf(returned);
            returned.clear();
        }
        if (!lost.isEmpty()) {
            throw new UnroutableException("no queue took " + lost.stream().map(Returned::what).collect(Collectors.joining(", ")),
                    lost.stream().map(Returned::exchange).collect(Collectors.toSet()));
        }
    }

    private void noteReturned(Returned back) {
        synchronized (returned) {
            returned.add(back);
        }
    }
}
