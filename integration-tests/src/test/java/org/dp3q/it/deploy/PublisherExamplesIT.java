package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.Repo;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.Test;

/**
 * The publishing examples a pipeline would copy, run as they are against the test's vhost with a real worker:
 * the pika publisher (Debian's python3-pika; DP3Q_PYTHON names another interpreter) and the shell script with
 * 'dp3q submit'. Each batch must complete.
 */
class PublisherExamplesIT extends RealBrokerTest {
    private static final String PYTHON = System.getenv().getOrDefault("DP3Q_PYTHON", "/usr/bin/python3");

    @Test
    void the_pika_publisher_publishes_a_batch_that_completes_and_waits_on_it() throws Exception {
        startWorker("py", 2);
        awaitConsumers(2);

        Result result = run(Map.of(), PYTHON, Repo.path("examples/python/publish_batch.py").toString(),
                "--broker", brokerUri, "--batch", "py-batch", "--chunks", "8", "--ntimes", "5", "--first-slot", "100",
                "--arg", "chunk=py{chunk}", "--arg", "standin.sleep=0.1", "--wait", "--dp3q", dp3q());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("8 task(s) of batch py-batch confirmed by the broker");
        List<StandinRecord.Run> runs = record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith("py")).toList();
        assertThat(runs).hasSize(8).allMatch(r -> r.finished() && r.exitCode() == 0);
        assertThat(runs.stream().filter(r -> r.arg("chunk").orElseThrow().equals("py3")).findFirst().orElseThrow().args())
                .contains("msin.starttimeslot=115", "msin.ntimes=5");
    }

    @Test
    void the_pika_publisher_fails_with_exit_3_naming_tasks_for_a_pool_nobody_serves() throws Exception {
        Result result = run(Map.of(), PYTHON, Repo.path("examples/python/publish_batch.py").toString(),
                "--broker", brokerUri, "--batch", "nowhere", "--chunks", "2", "--ntimes", "5", "--pool", "no-such-pool");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("not accepted by the broker: nowhere/0, nowhere/1")
                .doesNotContain(broker.password() + "@");
    }

    @Test
    void the_shell_example_submits_with_dp3q_and_waits_on_the_batch() throws Exception {
        startWorker("sh", 2);
        awaitConsumers(2);
        Path work = Files.createDirectories(workDir.resolve("shell-work"));

        Result result = run(Map.of("DP3Q", dp3q(), "DP3Q_BROKER", brokerUri), "bash",
                Repo.path("examples/python/submit-and-wait.sh").toString(), "shell-batch", "4", "/data/shell.ms",
                work.toString(), "10");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("all 4 chunks of shell-batch done");
        List<StandinRecord.Run> runs = record().runs().stream()
                .filter(r -> r.arg("msin").orElse("").equals("/data/shell.ms")).toList();
        assertThat(runs).extracting(r -> r.arg("msin.starttimeslot").orElseThrow())
                .containsExactlyInAnyOrder("0", "10", "20", "30");
    }

    private static String dp3q() {
        return Repo.path("bin/dp3q").toString();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile(workDir, "example", ".out");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish within 180 s: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out));
    }
}
