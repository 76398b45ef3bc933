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
    /** Where every publish goes, whatever it is addressed to; null: where it is addressed. */
    private final String onlyTo;
    private final List<Returned> returned = new ArrayList<>();

    /** A message the broker gave back: where it was published, and the line that names it. */
    private record Returned(String exchange, String what) {
    }

    private RoutedChannel(Channel channel, String onlyTo) {
        this.channel = channel;
        this.onlyTo = onlyTo;
    }

    /** Puts {@code channel} in confirm mode and listens to what it gets back. */
    public static RoutedChannel on(Channel channel) throws IOException {
        return listening(new RoutedChannel(channel, null));
    }

    /**
     * As {@link #on}, but every publish goes to {@code queue} through the default exchange, wherever it is addressed:
     * for a rehearsal of a path that publishes, which must leave nothing where the real records are.
     */
    public static RoutedChannel into(Channel channel, String queue) throws IOException {
        return listening(new RoutedChannel(channel, queue));
    }

    private static RoutedChannel listening(RoutedChannel routed) throws IOException {
        Channel channel = routed.channel;
        channel.confirmSelect();
        channel.addReturnListener(back -> routed.noteReturned(new Returned(back.getExchange(), back.getExchange()
                + " -> " + back.getRoutingKey() + " (" + back.getReplyText() + ")")));
        return routed;
    }

    public Channel channel() {
        return channel;
    }

    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException {
        if (onlyTo != null) {
            channel.basicPublish("", onlyTo, true, properties, body);
            return;
        }
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
