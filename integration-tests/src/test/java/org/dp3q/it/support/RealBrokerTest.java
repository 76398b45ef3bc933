package org.dp3q.it.support;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of every integration test: a fresh vhost on the real broker per test class, deleted afterwards,
 * and the worker processes a test starts, stopped after each test.
 */
public abstract class RealBrokerTest {
    protected static BrokerEndpoint broker;
    protected static Management management;
    protected static String vhost;
    protected static String brokerUri;
    protected static Path workDir;
    /** The broker of a class annotated {@link OwnBroker}, to stop and start; null otherwise. */
    protected static ScratchBroker scratch;

    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeAll
    static void createVhost(org.junit.jupiter.api.TestInfo info) throws Exception {
        OwnBroker own = info.getTestClass().map(c -> c.getAnnotation(OwnBroker.class)).orElse(null);
        if (own != null) {
            scratch = ScratchBroker.start(own.consumerTimeoutMs() > 0
                    ? java.time.Duration.ofMillis(own.consumerTimeoutMs()) : null);
            broker = scratch.endpoint();
        } else {
            broker = BrokerEndpoint.get();
        }
        management = new Management(broker);
        String className = info.getTestClass().map(Class::getSimpleName).orElse("it");
        vhost = "dp3q-it-" + className + "-" + UUID.randomUUID().toString().substring(0, 8);
        management.createVhost(vhost);
        brokerUri = broker.uri(vhost);
        workDir = Files.createTempDirectory("dp3q-it-" + className);
    }

    @AfterAll
    static void deleteVhost() throws Exception {
        if (scratch != null) {
            scratch.close();
            scratch = null;
            return;
        }
        if (vhost != null) {
            management.deleteVhost(vhost);
        }
    }

    @AfterEach
    void stopWorkers() {
        boolean killed = !workers.isEmpty();
        workers.forEach(WorkerProcess::kill);
        workers.clear();
        if (killed) {
            // the broker drops a dead worker's consumers a moment later: the next test of the class must not
            // count them as its own workers' (FrozenWorkerIT did, and read the log of a worker not yet started)
            org.awaitility.Awaitility.await("the killed workers' consumers gone").atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> defaultPoolConsumers() == 0);
        }
    }

    private static long defaultPoolConsumers() {
        try {
            return queueCounts("dp3q.tasks.default")[1];
        } catch (Exception e) {
            // no such queue, or no broker (a test that stopped it): no consumer to wait for
            return 0;
        }
    }

    /** Starts a worker process with the DP3 stand-in allowed as DP3 and waits until it consumes. */
    protected WorkerProcess startWorker(String tag, int slots, String... extraArgs) throws Exception {
        WorkerProcess worker = WorkerProcess.start(brokerUri, workDir, tag, slots, extraArgs);
        workers.add(worker);
        return worker;
    }

    protected Cli cli() {
        return new Cli(brokerUri, workDir);
    }

    /** Starts a worker process against another broker or user ({@code uri}), with {@code env} added. */
    protected WorkerProcess startWorkerOn(String uri, java.util.Map<String, String> env, String tag, int slots,
                                          String... extraArgs) throws Exception {
        WorkerProcess worker = WorkerProcess.start(uri, env, workDir, tag, slots, extraArgs);
        workers.add(worker);
        return worker;
    }

    /** The command line against another broker or user ({@code uri}), with {@code env} added. */
    protected static Cli cliOn(String uri, java.util.Map<String, String> env) {
        return new Cli(uri, workDir, env);
    }

    protected static Connection connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(brokerUri);
        return factory.newConnection("dp3q-it-test");
    }

    /**
     * Force-closes the broker connections of {@code workers}, as a network failure or an operator would, once the
     * management API lists every one of them: it lists a connection only after its first statistics tick, so a
     * worker that connected a moment ago would keep its connection. Returns when the first close was sent, as
     * {@link WorkerProcess#epochNanos}.
     */
    protected static long closeConnectionsOf(WorkerProcess... workers) {
        Set<String> names = Arrays.stream(workers).map(w -> "dp3q-worker " + w.tag()).collect(Collectors.toSet());
        AtomicReference<Map<String, String>> listed = new AtomicReference<>();
        org.awaitility.Awaitility.await("the workers' connections listed by the management API")
                .atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    listed.set(management.connections(vhost));
                    return listed.get().keySet().containsAll(names);
                });
        long closedAt = WorkerProcess.epochNanos();
        for (String name : names) {
            try {
                management.closeConnection(listed.get().get(name));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("closing the connection of " + name + ": " + e.getMessage(), e);
            }
        }
        return closedAt;
    }

    /** Waits until {@code count} consumers are subscribed to the default pool's task queue. */
    protected static void awaitConsumers(int count) {
        org.awaitility.Awaitility.await("consumers on dp3q.tasks.default").atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> queueCounts("dp3q.tasks.default")[1] == count);
    }

    /** {messages ready, consumers} of a queue, straight from the broker (the management API lags by seconds). */
    protected static long[] queueCounts(String queue) throws Exception {
        try (Connection connection = connect(); var channel = connection.createChannel()) {
            var ok = channel.queueDeclarePassive(queue);
            return new long[] {ok.getMessageCount(), ok.getConsumerCount()};
        }
    }

    /** The stand-in processes of this test class still alive on this machine, their children included. */
    protected static java.util.List<Long> liveStandins() {
        return Processes.withEnvironment("STANDIN_RECORD=" + workDir.resolve("standin.record"));
    }

    protected static StandinRecord record() {
        return StandinRecord.read(workDir.resolve("standin.record"));
    }

    /** Publishes JSON lines through {@code dp3q submit -}; fails the test unless the broker accepted every task. */
    protected void submitLines(String lines) throws Exception {
        Cli.Result submit = cli().runWithInput(lines, "submit", "-");
        org.assertj.core.api.Assertions.assertThat(submit.exitCode()).as(submit.toString()).isZero();
    }

    /** The stand-in's runs of the task whose args hold {@code chunk=<chunk>}. */
    protected static List<StandinRecord.Run> runsOf(String chunk) {
        return record().runs().stream().filter(r -> r.arg("chunk").orElse("").equals(chunk)).toList();
    }

    /** Waits until {@code chunk} has run at least {@code count} times; returns its runs. */
    protected static List<StandinRecord.Run> awaitRuns(String chunk, int count) {
        return awaitRuns(chunk, count, java.time.Duration.ofSeconds(30));
    }

    /** Waits up to {@code atMost} until {@code chunk} has run at least {@code count} times; returns its runs. */
    protected static List<StandinRecord.Run> awaitRuns(String chunk, int count, java.time.Duration atMost) {
        org.awaitility.Awaitility.await().atMost(atMost).until(() -> runsOf(chunk).size() >= count);
        return runsOf(chunk);
    }
}
