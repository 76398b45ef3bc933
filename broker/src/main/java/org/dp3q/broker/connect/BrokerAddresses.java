package org.dp3q.broker.connect;

import com.rabbitmq.client.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker nodes a URI names. {@code amqp://user:pw@h1:5672,h2:5673/vhost} names two nodes of one cluster: the
 * client connects to any of them and, when that node goes away, recovers on another. A URI with one host is the
 * plain single-node form.
 *
 * @param nodes      host and port of every node, in the order given (port defaulted by the scheme)
 * @param singleHost the URI with only the first host, for the settings (user, vhost, query) every node shares
 */
public record BrokerAddresses(List<Address> nodes, String singleHost) {
    public BrokerAddresses {
        nodes = List.copyOf(nodes);
    }

    /** @throws IllegalArgumentException (password masked) when a host or port is unusable */
    public static BrokerAddresses parse(String uri) {
        int start = uri.indexOf("://") + 3;
        int end = firstOf(uri, start, '/', '?');
        int at = uri.lastIndexOf('@', end - 1);
        int hostsStart = at >= start ? at + 1 : start;
        String hosts = uri.substring(hostsStart, end);
        int defaultPort = uri.startsWith("amqps:") ? 5671 : 5672;
        List<Address> nodes = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            nodes.add(address(host.strip(), defaultPort, uri));
        }
        String first = hosts.split(",", -1)[0].strip();
        return new BrokerAddresses(nodes, uri.substring(0, hostsStart) + first + uri.substring(end));
    }

    public boolean isCluster() {
        return nodes.size() > 1;
    }

    private static Address address(String host, int defaultPort, String uri) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("broker URI " + BrokerSettings.masked(uri) + " has an empty host");
        }
        String name = host;
        int port = defaultPort;
        int colon = host.lastIndexOf(':');
        boolean bracketed = host.startsWith("[");
        if (colon > 0 && (!bracketed || colon > host.indexOf(']'))) {
            name = host.substring(0, colon);
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("broker URI " + BrokerSettings.masked(uri) + ": '" + host
                        + "' has no valid port");
            }
        }
        if (bracketed) {
            name = name.substring(1, name.length() - 1);
        }
        return new Address(name, port);
    }

    private static int firstOf(String text, int from, char a, char b) {
        int i = text.indexOf(a, from);
        int j = text.indexOf(b, from);
        if (i < 0) {
            return j < 0 ? text.length() : j;
        }
        return j < 0 ? i : Math.min(i, j);
    }
}
