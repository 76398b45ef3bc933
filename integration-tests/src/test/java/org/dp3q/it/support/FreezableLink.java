package org.dp3q.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback relay between a worker and the broker that can go silent: {@link #freeze} stops passing bytes either
 * way but keeps every socket open, as a network partition or a hung broker does. Nothing is closed or reset, so
 * the worker learns of it only from missed heartbeats or an answer that never comes.
 */
public final class FreezableLink implements AutoCloseable {
    private final ServerSocket listener;
    private final String brokerHost;
    private final int brokerPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    private FreezableLink(ServerSocket listener, String brokerHost, int brokerPort) {
        this.listener = listener;
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
    }

    /** Relays a free loopback port to {@code broker}'s AMQP port. */
    public static FreezableLink to(BrokerEndpoint broker) throws IOException {
        FreezableLink link = new FreezableLink(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()),
                broker.host(), broker.port());
        daemon("link-accept", link::accept);
        return link;
    }

    /** The URI of {@code vhost} through this link, as {@code broker} would give it, with {@code query} added. */
    public String uri(BrokerEndpoint broker, String vhost, String query) {
        return "amqp://" + broker.user() + ":" + broker.password() + "@127.0.0.1:" + listener.getLocalPort() + "/"
                + vhost + (query.isEmpty() ? "" : "?" + query);
    }

    /** From now on no byte passes, either way; the sockets stay open. */
    public void freeze() {
        frozen = true;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        quietly(listener);
        sockets.forEach(FreezableLink::quietly);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket worker = listener.accept();
                Socket broker = new Socket(brokerHost, brokerPort);
                sockets.add(worker);
                sockets.add(broker);
                daemon("link-up", () -> pump(worker, broker));
                daemon("link-down", () -> pump(broker, worker));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitThaw();
                if (closed) {
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: so does the other
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    /** Holds a pump while frozen: the bytes it read are never passed on. */
    private void awaitThaw() {
        synchronized (gate) {
            while (frozen && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
