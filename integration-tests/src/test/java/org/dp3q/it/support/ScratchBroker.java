package org.dp3q.it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A private RabbitMQ node for tests that stop and start the broker or need broker settings of their own (a
 * small {@code consumer_timeout}): its own node name, ports, data, logs, config and Erlang cookie in a temp
 * dir, listening on loopback only. The shared broker is never touched. It runs from the installed RabbitMQ
 * (Debian's {@code rabbitmq-server}) in the foreground as a child of the test JVM and is stopped by itself.
 */
public final class ScratchBroker implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    private static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final String node;
    private final int amqpPort;
    private final int managementPort;
    private final int distPort;
    private Process server;

    private ScratchBroker(Path dir, String node, int amqpPort, int managementPort, int distPort) {
        this.dir = dir;
        this.node = node;
        this.amqpPort = amqpPort;
        this.managementPort = managementPort;
        this.distPort = distPort;
    }

    /** Starts a fresh node; {@code consumerTimeout} (null: RabbitMQ's default) is checked every second. */
    public static ScratchBroker start(Duration consumerTimeout) throws IOException, InterruptedException {
        if (!Files.isExecutable(SERVER)) {
            throw new IllegalStateException(SERVER + " not found: these tests stop and start a broker of their own and"
                    + " need RabbitMQ installed on this machine (Debian: apt-get install rabbitmq-server)");
        }
        Path dir = Files.createTempDirectory("dp3q-scratch-broker");
        int[] ports = freePorts(3);
        String node = "dp3q-scratch-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        ScratchBroker broker = new ScratchBroker(dir, node, ports[0], ports[1], ports[2]);
        broker.writeConfig(consumerTimeout);
        broker.startNode();
        return broker;
    }

    private void writeConfig(Duration consumerTimeout) throws IOException {
        Files.createDirectories(dir.resolve("mnesia"));
        Files.createDirectories(dir.resolve("log"));
        Path cookie = dir.resolve(".erlang.cookie");
        Files.writeString(cookie, UUID.randomUUID().toString().replace("-", "").toUpperCase(), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        List<String> conf = new ArrayList<>(List.of(
                "listeners.tcp.default = 127.0.0.1:" + amqpPort,
                "management.tcp.ip = 127.0.0.1",
                "management.tcp.port = " + managementPort,
                "loopback_users.guest = true",
                "disk_free_limit.absolute = 50MB"));
        String advanced = "[].";
        if (consumerTimeout != null) {
            conf.add("consumer_timeout = " + consumerTimeout.toMillis());
            // channels check consumer_timeout on their tick (60 s by default); tick every second instead
            advanced = "[{rabbit, [{channel_tick_interval, 1000}]}].";
        }
        Files.write(dir.resolve("rabbitmq.conf"), conf);
        Files.writeString(dir.resolve("advanced.config"), advanced);
        Files.writeString(dir.resolve("enabled_plugins"), "[rabbitmq_management].");
        Files.writeString(dir.resolve("rabbitmq-env.conf"), "");
    }

    private Map<String, String> env() {
        return Map.ofEntries(
                Map.entry("HOME", dir.toString()),
                Map.entry("RABBITMQ_NODENAME", node),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(amqpPort)),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(distPort)),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
                Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString()),
                Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString()),
                Map.entry("ERL_EPMD_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"));
    }

    private synchronized void startNode() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SERVER.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()));
        builder.environment().putAll(env());
        server = builder.start();
        Process started = server;
        // a test JVM that dies without @AfterAll must not leave the node running
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(300))
                    .until(() -> !server.isAlive() || ctl("await_startup", "--timeout", "10") == 0);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("scratch broker " + node + " did not start; see " + dir.resolve("log"), e);
        }
        if (!server.isAlive()) {
            throw new IllegalStateException("scratch broker " + node + " exited at its start; see " + dir.resolve("log"));
        }
        Management management = new Management(endpoint());
        try {
            await().atMost(Duration.between(Instant.now(), deadline).plusSeconds(1)).pollInterval(Duration.ofMillis(300))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        management.overview();
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("scratch broker " + node + ": management API does not answer", e);
        }
    }

    /** Stops the node gracefully, as an operator or a host shutdown would; its data stays for {@link #startAgain}. */
    public synchronized void stop() throws IOException, InterruptedException {
        if (server == null) {
            return;
        }
        ctl("stop");
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        server = null;
    }

    public synchronized void startAgain() throws IOException, InterruptedException {
        startNode();
    }

    public boolean isRunning() {
        Process current = server;
        return current != null && current.isAlive();
    }

    public BrokerEndpoint endpoint() {
        return new BrokerEndpoint("127.0.0.1", amqpPort, "guest", "guest", "http://127.0.0.1:" + managementPort);
    }

    private int ctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CTL.toString(), "-n", node, "-q"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("ctl.out").toFile()));
        builder.environment().putAll(env());
        Process ctl = builder.start();
        if (!ctl.waitFor(90, TimeUnit.SECONDS)) {
            ctl.destroyForcibly();
            return -1;
        }
        return ctl.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            // a leftover temp dir is harmless
        }
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
