package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.Repo;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The users broker/lab/setup-broker.sh creates, on the test's own vhost: a worker cannot publish tasks, a producer
 * cannot take them, and with nothing more than these permissions a batch runs end to end (failures, a retry through
 * a delay queue, failed, replay, status, cancel). Passwords never show.
 */
class LeastPrivilegeIT extends RealBrokerTest {
    private static final String TASKS = "dp3q.tasks";
    private static final String TASK_QUEUE = "dp3q.tasks.default";
    private static String prefix;
    private static final Map<String, String> PASSWORDS = new HashMap<>();

    @BeforeAll
    static void createUsers() throws Exception {
        prefix = "dp3q-it-" + UUID.randomUUID().toString().substring(0, 8);
        for (String role : List.of("admin", "producer", "worker")) {
            PASSWORDS.put(role, role + "-" + UUID.randomUUID());
        }
        Path producerFile = workDir.resolve("producer.password");
        Files.writeString(producerFile, PASSWORDS.get("producer") + "\n");
        Map<String, String> env = Map.of("DP3Q_SETUP_USER", broker.user(), "DP3Q_SETUP_PASSWORD", broker.password(),
                "DP3Q_ADMIN_PASSWORD", PASSWORDS.get("admin"), "DP3Q_PRODUCER_PASSWORD_FILE", producerFile.toString(),
                "DP3Q_WORKER_PASSWORD", PASSWORDS.get("worker"));
        String out = setup(env);
        assertThat(out).contains("user " + prefix + "-producer ready", "user " + prefix + "-worker ready",
                "user " + prefix + "-admin ready");
        Cli.Result topology = as("admin").run("topology", "--pool", "default");
        assertThat(topology.exitCode()).as(topology.toString()).isZero();
    }

    @AfterAll
    static void removeUsers() throws Exception {
        if (prefix != null) {
            setup(Map.of("DP3Q_SETUP_USER", broker.user(), "DP3Q_SETUP_PASSWORD", broker.password()), "--remove");
        }
    }

    @Test
    void a_worker_cannot_publish_tasks_and_a_producer_cannot_take_them() throws Exception {
        Cli.Result submit = as("producer").run("submit", "--batch", "held", "--chunks", "1", "--ntimes", "1");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        long queued = queueCounts(TASK_QUEUE)[0];

        try (Connection worker = connect("worker")) {
            assertRefused(worker, ch -> publishConfirmed(ch, TASKS, "default"), "exchange 'dp3q.tasks'");
            assertRefused(worker, ch -> publishConfirmed(ch, "", TASK_QUEUE), "exchange 'amq.default'");
            assertRefused(worker, ch -> ch.basicGet("dp3q.failed", false), "queue 'dp3q.failed'");
            assertRefused(worker, ch -> ch.queueDelete(TASK_QUEUE), "queue 'dp3q.tasks.default'");
        }
        try (Connection producer = connect("producer")) {
            assertRefused(producer, ch -> ch.basicConsume(TASK_QUEUE, false, (tag, d) -> { }, tag -> { }),
                    "queue 'dp3q.tasks.default'");
            assertRefused(producer, ch -> ch.basicGet(TASK_QUEUE, false), "queue 'dp3q.tasks.default'");
            assertRefused(producer, ch -> ch.queuePurge(TASK_QUEUE), "queue 'dp3q.tasks.default'");
            assertRefused(producer, ch -> ch.queueDelete(TASK_QUEUE), "queue 'dp3q.tasks.default'");
        }
        assertThat(queueCounts(TASK_QUEUE)[0]).as("the queued task is still there, nothing was added").isEqualTo(queued);
    }

    @Test
    void a_batch_runs_with_the_least_privileged_users_alone_and_no_password_shows() throws Exception {
        WorkerProcess worker = startWorkerOn(uriOf("worker"), Map.of("DP3Q_BROKER_PASSWORD", PASSWORDS.get("worker")),
                "restricted", 2, "--retry-delay", "1s", "--quarantine-after", "0", "--claim-lease", "30s");
        Cli producer = as("producer");
        String lines = String.join("\n", List.of(
                "{\"batch\":\"roles\",\"chunk\":0,\"args\":[\"chunk=r0\"]}",
                "{\"batch\":\"roles\",\"chunk\":1,\"args\":[\"chunk=r1\",\"standin.exit=4\"]}",
                "{\"batch\":\"roles\",\"chunk\":2,\"args\":[\"chunk=r2\"]}",
                "{\"batch\":\"roles\",\"chunk\":3,\"args\":[\"chunk=r3\",\"standin.exit=5\"],\"max_attempts\":2}",
                "{\"batch\":\"roles\",\"chunk\":4,\"args\":[\"chunk=r4\",\"standin.sleep=1.5\"]}"));

        List<Cli.Result> results = new ArrayList<>();
        results.add(producer.runWithInput(lines, "submit", "-"));
        results.add(producer.run("wait", "--batch", "roles", "--progress", "none"));
        results.add(producer.run("failed", "--batch", "roles", "--json"));
        results.add(producer.run("status", "--batch", "roles"));
        String wrongPassword = "wrong-" + UUID.randomUUID();
        results.add(cliOn(uriOf("producer").replace(prefix + "-producer@", prefix + "-producer:" + wrongPassword + "@"),
                Map.of()).run("status", "--broker-timeout", "2s"));

        assertThat(results.get(0).exitCode()).as(results.get(0).toString()).isZero();
        assertThat(results.get(1).exitCode()).as("chunks 1 and 3 failed: " + results.get(1)).isEqualTo(1);
        assertThat(results.get(2).stdout()).contains("\"chunk\":1", "\"chunk\":3").doesNotContain("\"chunk\":0", "\"chunk\":2");
        assertThat(results.get(3).exitCode()).as(results.get(3).toString()).isZero();
        assertThat(results.get(4).exitCode()).as(results.get(4).toString()).isEqualTo(3);
        assertThat(results.get(4).stderr()).contains(prefix + "-producer:****@");
        assertThat(record().runsPer("chunk")).as("chunk 3 retried once through a delay queue")
                .containsEntry("r0", 1L).containsEntry("r1", 1L).containsEntry("r2", 1L).containsEntry("r3", 2L)
                .containsEntry("r4", 1L);
        try (var admin = connect()) {
            assertThat(org.dp3q.it.support.ClaimsStream.claimed(admin, "roles/4"))
                    .as("the worker user appended the claim of its 1.5 s chunk").isTrue();
        }
        Cli.Result replay = producer.run("replay", "--batch", "roles");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        org.awaitility.Awaitility.await("the replayed chunk ran again").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> record().runsPer("chunk").getOrDefault("r1", 0L) == 2L);
        results.add(replay);
        worker.terminate();
        worker.waitForExit(60);
        assertThat(worker.output()).as("the worker may read and append its claims")
                .contains("runs are claimed with a lease of 30.0 s").doesNotContain("ACCESS_REFUSED", "no claims");
        assertThat(worker.output()).as("it may not rehearse through the broker, and warms the task path without it")
                .contains("no rehearsal of the task path through the broker: this broker user may not declare a scratch"
                        + " queue or publish to it", "(60 decodes, 30 runs of true)");
        String everything = worker.output() + results;
        for (String secret : List.of(PASSWORDS.get("worker"), PASSWORDS.get("producer"), wrongPassword)) {
            assertThat(everything).as("a password in the output").doesNotContain(secret);
        }
    }

    @Test
    void the_producer_cancels_a_running_batch_and_the_worker_hears_it() throws Exception {
        startWorkerOn(uriOf("worker"), Map.of("DP3Q_BROKER_PASSWORD", PASSWORDS.get("worker")), "canceller", 1);
        Cli producer = as("producer");
        Cli.Result submit = producer.run("submit", "--batch", "roles-cancel", "--chunks", "3", "--ntimes", "1",
                "--arg", "chunk=c{chunk}", "--arg", "standin.sleep=60");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        org.awaitility.Awaitility.await("a chunk running").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> record().runs().stream().anyMatch(r -> r.arg("chunk").orElse("").startsWith("c")));

        Cli.Result cancel = producer.run("cancel", "--batch", "roles-cancel");
        Cli.Result wait = producer.run("wait", "--batch", "roles-cancel", "--progress", "none");

        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(wait.exitCode()).as("cancelled: " + wait).isEqualTo(4);
        assertThat(record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith("c")))
                .as("only the running chunk started, and it did not run its 60 s").hasSize(1)
                .noneMatch(r -> r.finished() && r.exitCode() == 0);
    }

    @Test
    void the_producer_has_the_rights_of_the_allocator_resume_and_status() throws Exception {
        Cli producer = as("producer");

        Cli.Result resume = producer.run("allocate", "resume", "--name", "lab-allocation");
        Cli.Result status = producer.run("status", "--json");

        assertThat(resume.exitCode()).as("a confirmed record on dp3q.workers.in: " + resume).isZero();
        assertThat(status.exitCode()).as("queue depths and dp3q.workers read back: " + status).isZero();
        assertThat(status.stdout()).contains("\"allocations\":[]");
    }

    @Test
    void a_lab_worker_whose_consumer_is_cancelled_says_why_it_cannot_consume_then_resumes_once_the_queue_is_back()
            throws Exception {
        WorkerProcess worker = startWorkerOn(uriOf("worker"), Map.of("DP3Q_BROKER_PASSWORD", PASSWORDS.get("worker")),
                "reopener", 1, "--http-port", "-1", "--announce-every", "1s");
        awaitConsumers(1);
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("health on http://localhost:(\\d+)/health")
                .matcher(worker.output());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> port.reset(worker.output()).find());
        String health = "http://127.0.0.1:" + port.group(1) + "/health";

        // an operator deletes the pool's queue: the broker cancels the consumer, and this user may not declare it
        try (Connection admin = connect("admin"); Channel channel = admin.createChannel()) {
            channel.queueDelete(TASK_QUEUE);
        }
        org.awaitility.Awaitility.await("health DOWN").atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> {
                    var response = get(health);
                    assertThat(response.statusCode()).isEqualTo(503);
                    assertThat(response.body()).contains("\"notConsuming\":[0]", "does not exist");
                });
        org.awaitility.Awaitility.await("status").atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            Cli.Result status = as("producer").run("status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("reopener", "slot(s) [0] not consuming", "does not exist");
        });

        Cli.Result topology = as("admin").run("topology", "--pool", "default");
        assertThat(topology.exitCode()).as(topology.toString()).isZero();
        org.awaitility.Awaitility.await("consuming again").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> queueCounts(TASK_QUEUE)[1] == 1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> get(health).statusCode() == 200);
        assertThat(java.util.regex.Pattern.compile("cannot consume").matcher(worker.output()).results().count())
                .as("the missing permission is logged once, not at every try").isEqualTo(1);
        Cli.Result submit = as("producer").run("submit", "--batch", "reopened", "--chunks", "1", "--ntimes", "1");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Cli.Result wait = as("producer").run("wait", "--batch", "reopened", "--timeout", "60s", "--progress", "none");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
    }

    private static java.net.http.HttpResponse<String> get(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    private static void publishConfirmed(Channel channel, String exchange, String key) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(exchange, key, true, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                "{\"batch\":\"forged\",\"chunk\":0}".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(10_000);
    }

    private static void assertRefused(Connection connection, ChannelAction action, String resource) throws Exception {
        Channel channel = connection.createChannel();
        assertThatThrownBy(() -> action.run(channel))
                .satisfies(e -> {
                    ShutdownSignalException signal = e instanceof ShutdownSignalException s ? s
                            : (ShutdownSignalException) e.getCause();
                    assertThat(signal.getReason()).isInstanceOf(AMQP.Channel.Close.class);
                    AMQP.Channel.Close close = (AMQP.Channel.Close) signal.getReason();
                    assertThat(close.getReplyCode()).isEqualTo(403);
                    assertThat(close.getReplyText()).contains(resource);
                });
    }

    private static Connection connect(String role) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setVirtualHost(vhost);
        factory.setUsername(prefix + "-" + role);
        factory.setPassword(PASSWORDS.get(role));
        return factory.newConnection("dp3q-it-" + role);
    }

    private static String uriOf(String role) {
        return "amqp://" + prefix + "-" + role + "@" + broker.host() + ":" + broker.port() + "/" + vhost;
    }

    /** The command line as {@code role}, its password from the environment (a file for the producer). */
    private static Cli as(String role) {
        Map<String, String> env = role.equals("producer")
                ? Map.of("DP3Q_BROKER_PASSWORD_FILE", workDir.resolve("producer.password").toString())
                : Map.of("DP3Q_BROKER_PASSWORD", PASSWORDS.get(role));
        return cliOn(uriOf(role), env);
    }

    private static String setup(Map<String, String> env, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Repo.path("broker/lab/setup-broker.sh").toString(),
                "--vhost", vhost, "--management", broker.managementUrl(), "--prefix", prefix));
        command.addAll(List.of(extra));
        Path out = Files.createTempFile(workDir, "setup", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(process.exitValue()).as(output).isZero();
        for (String secret : env.values()) {
            if (!secret.startsWith("/") && !secret.equals(broker.user())) {
                assertThat(output).doesNotContain(secret);
            }
        }
        return output;
    }
}
