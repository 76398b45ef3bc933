package org.dp3q.broker.topology;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares the topology as far as the user may, and checks the rest exists. A least-privilege user (see
 * {@code broker/lab/setup-broker.sh}) may not declare anything: the broker refuses (403), and the object must then
 * already exist, declared once by the admin with {@code dp3q topology}. With full permissions this is
 * {@link Topology#declare} on one channel.
 */
public final class TopologyDeclarer {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyDeclarer.class);
    private static final int ACCESS_REFUSED = 403;
    private static final int NOT_FOUND = 404;

    private TopologyDeclarer() {
    }

    /** Declares or checks the shared objects and the task queue of each pool. */
    public static void declare(Connection connection, Iterable<String> pools) throws IOException {
        List<Declaration> all = new ArrayList<>(Topology.shared());
        all.addAll(pools(pools));
        declareOrCheck(connection, all);
    }

    /** Declares or checks the task queue of each pool (the shared objects already declared on this connection). */
    public static void declarePools(Connection connection, Iterable<String> pools) throws IOException {
        declareOrCheck(connection, pools(pools));
    }

    private static List<Declaration> pools(Iterable<String> pools) {
        List<Declaration> all = new ArrayList<>();
        for (String pool : pools) {
            all.addAll(Topology.pool(pool));
        }
        return all;
    }

    /** Declares each object where the user may; checks the others exist (passive). */
    public static void declareOrCheck(Connection connection, List<Declaration> all) throws IOException {
        if (all.isEmpty() || declaredAtOnce(connection, all)) {
            return;
        }
        Channel channel = connection.createChannel();
        try {
            for (Declaration declaration : all) {
                try {
                    declaration.declare().run(channel);
                } catch (IOException e) {
                    if (replyCode(e) != ACCESS_REFUSED) {
                        throw e;
                    }
                    channel = connection.createChannel();
                    check(channel, declaration);
                    channel = channel.isOpen() ? channel : connection.createChannel();
                }
            }
        } finally {
            closeQuietly(channel);
        }
    }

    /**
     * Sends every declaration but the last without waiting for the broker's reply, then the last one waiting: the
     * broker answers it only after the others, so its reply says they all went through, in one round trip instead
     * of one each (a command's 23 declarations took 30-38 ms of its start, now 23-26). False when the broker refused one (a
     * least-privilege user, or an object declared otherwise): the caller then declares one at a time, which names
     * the object and checks what this user may not declare.
     */
    private static boolean declaredAtOnce(Connection connection, List<Declaration> all) throws IOException {
        Channel channel = connection.createChannel();
        try {
            for (Declaration declaration : all.subList(0, all.size() - 1)) {
                declaration.send().run(channel);
            }
            all.get(all.size() - 1).declare().run(channel);
            return true;
        } catch (IOException | ShutdownSignalException e) {
            LOG.debug("declaring the topology at once was refused ({}); declaring one object at a time", e.toString());
            return false;
        } finally {
            closeQuietly(channel);
        }
    }

    private static void check(Channel channel, Declaration declaration) throws IOException {
        if (declaration.check() == null) {
            LOG.debug("{}: not allowed to declare it; taken as declared by the admin", declaration.what());
            return;
        }
        try {
            declaration.check().run(channel);
            LOG.debug("{}: exists (this user may not declare it)", declaration.what());
        } catch (IOException e) {
            if (replyCode(e) == NOT_FOUND) {
                throw new IOException(declaration.what() + " does not exist, and this broker user may not declare it: declare the topology once as the admin, with 'dp3q topology"
                        + " --pool POOL ...' (see deploy/README.md)", e);
            }
            throw e;
        }
    }

    /**
     * The reply code the broker closed the channel with for {@code e} (the client's shutdown signal itself, or an
     * {@link IOException} it caused), or -1.
     */
    public static int replyCode(Exception e) {
        ShutdownSignalException signal = e instanceof ShutdownSignalException direct ? direct
                : e.getCause() instanceof ShutdownSignalException cause ? cause : null;
        if (signal != null && signal.getReason() instanceof AMQP.Channel.Close close) {
            return close.getReplyCode();
        }
        return -1;
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception e) {
            LOG.debug("closing the topology channel: {}", e.toString());
        }
    }
}
