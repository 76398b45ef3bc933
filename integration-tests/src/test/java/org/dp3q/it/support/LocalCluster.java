package org.dp3q.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private RabbitMQ cluster (or single node) on loopback, started and stopped with the user-facing script
 * {@code deploy/cluster/local-cluster.sh}: its own node names, ports, cookie, epmd and data, so the shared broker
 * is never touched. It stops by itself after {@link #TTL_SECONDS} should a test run die without closing it.
 */
public final class LocalCluster implements AutoCloseable {
    private static final int TTL_SECONDS = 1200;

    private final Path dir;
    private final int nodes;
    private final int port;
    private final Map<String, String> env;

    private LocalCluster(Path dir, int nodes, int port, Map<String, String> env) {
        this.dir = dir;
        this.nodes = nodes;
        this.port = port;
        this.env = env;
    }

    /** Starts {@code nodes} joined nodes; {@code tlsDir} (may be null) adds amqps listeners with its certificates. */
    public static LocalCluster start(int nodes, Path tlsDir, boolean requireClientCert) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dp3q-cluster");
        int port = freeBasePort(nodes);
        Map<String, String> env = new HashMap<>();
        env.put("DP3Q_CLUSTER_DIR", dir.toString());
        env.put("DP3Q_CLUSTER_NODES", Integer.toString(nodes));
        env.put("DP3Q_CLUSTER_PORT", Integer.toString(port));
        env.put("DP3Q_CLUSTER_NAME", "dp3qit" + Integer.toString(port, 36) + "n");
        env.put("DP3Q_CLUSTER_TTL", Integer.toString(TTL_SECONDS));
        env.put("DP3Q_CLUSTER_MANAGEMENT", "0");
        if (tlsDir != null) {
            env.put("DP3Q_CLUSTER_TLS_DIR", tlsDir.toString());
            env.put("DP3Q_CLUSTER_TLS_CLIENT_CERT", requireClientCert ? "required" : "optional");
        }
        LocalCluster cluster = new LocalCluster(dir, nodes, port, env);
        try {
            cluster.script(300, "start");
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public int amqpPort(int node) {
        return port + node - 1;
    }

    public int tlsPort(int node) {
        return port + 100 + node - 1;
    }

    /** guest's URI naming every node, for clients that fail over. */
    public String uri(String vhost) {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            hosts.add("127.0.0.1:" + amqpPort(i));
        }
        return "amqp://guest:guest@" + String.join(",", hosts) + "/" + vhost;
    }

    /** The index of the node holding {@code queue}'s leader. */
    public int leaderOf(String queue) throws IOException, InterruptedException {
        return Integer.parseInt(script(60, "leader", queue, "/").strip());
    }

    /** Whether a client connection named {@code connectionName} is open on {@code node}. */
    public boolean hasConnection(int node, String connectionName) throws IOException, InterruptedException {
        return script(60, "ctl", Integer.toString(node), "-q", "list_connections", "client_properties",
                "--no-table-headers").contains("\"" + connectionName + "\"");
    }

    /** Stops one node the way a machine shutdown does. */
    public void stopNode(int node) throws IOException, InterruptedException {
        script(120, "stop-node", Integer.toString(node));
    }

    @Override
    public void close() {
        try {
            script(180, "stop");
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the local cluster in " + dir + ": " + e.getMessage(), e);
        }
    }

    private String script(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Repo.path("deploy/cluster/local-cluster.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "script", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("local-cluster.sh " + String.join(" ", args) + " did not finish within " + timeoutSeconds
                    + " s: " + Files.readString(out));
        }
        String output = Files.readString(out);
        if (process.exitValue() != 0) {
            throw new IOException("local-cluster.sh " + String.join(" ", args) + " exited " + process.exitValue() + ": "
                    + output);
        }
        return output;
    }

    /** A port base whose AMQP, TLS, management, distribution and epmd ports are all free on loopback. */
    private static int freeBasePort(int nodes) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10_000, 30_000);
            List<Integer> ports = new ArrayList<>(List.of(base + 30_000));
            for (int i = 0; i < nodes; i++) {
                ports.addAll(List.of(base + i, base + 100 + i, base + 10_000 + i, base + 20_000 + i));
            }
            if (ports.stream().allMatch(LocalCluster::isFree)) {
                return base;
            }
        }
        throw new IOException("no free port range for a local cluster");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
