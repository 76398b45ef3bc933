package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.LocalSlurm;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.Repo;
import org.dp3q.it.support.SlurmQueueWatch;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dp3q allocate slurm} on a real one-node SLURM cluster (deploy/slurm/local-slurm.sh): it submits worker jobs
 * (deploy/slurm/dp3q-workers.sbatch) as the pool's queue demands, the jobs end by themselves once the pool stays
 * empty, a bad partition pauses it after the configured failures, and a restart finds its jobs again.
 */
class AllocatorIT extends RealBrokerTest {
    private static LocalSlurm slurm;
    private final List<Cli.Running> allocators = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    @BeforeAll
    static void startSlurm() throws Exception {
        slurm = LocalSlurm.start();
    }

    @AfterAll
    static void stopSlurm() {
        if (slurm != null) {
            slurm.close();
        }
    }

    @AfterEach
    void stopAllocatorsAndTheirJobs() throws Exception {
        allocators.forEach(a -> a.process().destroyForcibly());
        for (String name : names) {
            slurm.run(30, List.of("scancel", "-n", name), Map.of());
        }
    }

    @Test
    void submits_jobs_as_the_queue_demands_never_past_max_jobs_and_the_jobs_end_once_the_pool_is_empty() throws Exception {
        String name = "alloc-scale";
        try (SlurmQueueWatch watch = new SlurmQueueWatch(slurm, name)) {
            Cli.Running allocator = allocate(name, "default", List.of("--max-jobs", "2", "--backlog", "2", "--slots", "2",
                    "--idle-timeout", "5s"), List.of());
            Awaitility.await("the allocator looked").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(allocator.err()).contains("found 0 job(s) of its own"));
            Awaitility.await("an empty pool asks for no job").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> submitted(allocator) == 0 && watch.seenIds().isEmpty());

            long submitStartMs = System.currentTimeMillis();
            Cli.Result submit = cli().run("submit", "--batch", "scale", "--chunks", "40", "--ntimes", "10",
                    "--arg", "chunk=s{chunk}", "--arg", "standin.sleep=1");
            long publishedAtMs = System.currentTimeMillis();
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            JsonNode busy = awaitAllocation(name, a -> a.get("workers").asInt() >= 1);
            assertThat(busy.get("state").asText()).isEqualTo("active");
            assertThat(busy.get("pool").asText()).isEqualTo("default");
            assertThat(busy.get("jobs_running").asInt()).isBetween(1, 2);

            Awaitility.await("the batch ran").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> succeeded("s").size() == 40);
            long batchDoneAtMs = succeeded("s").stream().mapToLong(StandinRecord.Run::endNs).max().orElseThrow() / 1_000_000;
            Awaitility.await("every job ended by itself").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> watch.current() == 0 && Files.readString(allocator.err()).contains("ended"));
            long submittedAfterBatch = submitted(allocator);
            Awaitility.await("nothing submitted while the pool stays empty").during(Duration.ofSeconds(6))
                    .atMost(Duration.ofSeconds(15)).until(() -> submitted(allocator) == submittedAfterBatch && watch.current() == 0);

            assertThat(watch.maxAtOnce()).as("jobs at once").isBetween(1, 2);
            assertThat(succeeded("s")).hasSize(40);
            assertThat(queueCounts("dp3q.tasks.default")[0]).isZero();
            long firstStartMs = record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith("s"))
                    .mapToLong(StandinRecord.Run::startNs).min().orElseThrow() / 1_000_000;
            System.out.printf("MEASURE allocator scale-up: submit took %d ms; from its end: first job running %d ms, first chunk start %d ms;"
                            + " jobs submitted %d vs needed %d; last job ended %d ms after the batch's last chunk%n",
                    publishedAtMs - submitStartMs, watch.firstRunningAtMs() - publishedAtMs, firstStartMs - publishedAtMs, submittedAfterBatch,
                    Math.min(2, 40 / 2), watch.lastNonEmptyAtMs() - batchDoneAtMs);

            allocator.process().destroy();
            assertThat(allocator.await(30).exitCode()).as("Ctrl-C stops it cleanly").isZero();
        }
    }

    @Test
    void a_bad_partition_pauses_the_allocation_after_the_configured_failures_and_status_says_why() throws Exception {
        String name = "alloc-bad";
        submitTo("badpart", 4);

        Cli.Running allocator = allocate(name, "badpart", List.of("--max-jobs", "2", "--slots", "1", "--max-failures", "2"),
                List.of("--partition=nope"));

        Awaitility.await("paused").atMost(Duration.ofSeconds(60)).until(() -> Files.readString(allocator.err()).contains("paused:"));
        Awaitility.await("no more sbatch calls once paused").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> sbatchFailures(allocator) == 2);
        assertThat(submitted(allocator)).isZero();
        JsonNode allocation = awaitAllocation(name, a -> a.get("state").asText().equals("paused"));
        assertThat(allocation.get("reason").asText()).contains("2 sbatch calls failed in a row").contains("partition");
        Cli.Result table = cli().run("status");
        assertThat(table.stdout()).contains(name).contains("paused: 2 sbatch calls failed in a row");

        Cli.Result resume = cli().run("allocate", "resume", "--name", name);
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        Awaitility.await("resumed, it tries again and pauses again").atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(allocator.err()).contains("resumed") && sbatchFailures(allocator) == 4);
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> sbatchFailures(allocator) == 4);
    }

    @Test
    void jobs_that_end_without_a_worker_consuming_pause_the_allocation() throws Exception {
        String name = "alloc-noworker";
        submitTo("noworker", 4);
        // a job whose worker never starts, as when it cannot reach the broker or the node lacks Java
        java.nio.file.Path broken = workDir.resolve("broken.sbatch");
        Files.writeString(broken, "#!/bin/sh\necho no worker here\nexit 3\n");

        Cli.Running allocator = allocate(name, "noworker", List.of("--max-jobs", "1", "--slots", "1", "--max-failures", "2",
                "--job-script", broken.toString()), List.of());

        Awaitility.await("paused").atMost(Duration.ofSeconds(90)).until(() -> Files.readString(allocator.err()).contains("paused:"));
        assertThat(Files.readString(allocator.err())).contains("2 jobs in a row ended without a worker consuming");
        Awaitility.await("no job submitted once paused").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> submitted(allocator) == 2 && jobs(name).isEmpty());
        JsonNode allocation = awaitAllocation(name, a -> a.get("state").asText().equals("paused"));
        assertThat(allocation.get("reason").asText()).contains("ended without a worker consuming");
    }

    @Test
    void a_restarted_allocator_finds_its_pending_jobs_and_does_not_double_them() throws Exception {
        String name = "alloc-restart";
        submitTo("restart", 10);
        // held jobs stay pending: what a busy cluster does to them
        List<String> options = List.of("--max-jobs", "4", "--backlog", "2", "--slots", "2");
        Cli.Running first = allocate(name, "restart", options, List.of("--hold"));
        Awaitility.await("two pending jobs").atMost(Duration.ofSeconds(60)).until(() -> jobs(name).size() == 2);
        List<String> before = jobs(name);
        JsonNode shown = awaitAllocation(name, a -> a.get("jobs_pending").asInt() == 2);
        assertThat(shown.get("jobs_running").asInt()).isZero();
        assertThat(shown.get("state").asText()).isEqualTo("active");

        first.process().destroyForcibly();
        first.process().waitFor();
        Cli.Running second = allocate(name, "restart", List.of("--max-jobs", "4", "--backlog", "2", "--slots", "2",
                "--cancel-pending"), List.of("--hold"));
        Awaitility.await("it found its jobs").atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(second.err()).contains("found 2 job(s) of its own"));
        Awaitility.await("no doubled jobs").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> jobs(name).equals(before) && submitted(second) == 0);

        second.process().destroy();
        assertThat(second.await(60).exitCode()).isZero();
        assertThat(jobs(name)).as("--cancel-pending cancelled them on Ctrl-C").isEmpty();
    }

    private Cli.Running allocate(String name, String pool, List<String> options, List<String> sbatchArgs) throws Exception {
        names.add(name);
        List<String> args = new ArrayList<>(List.of("allocate", "slurm", "--name", name, "--pool", pool, "--time-limit", "10",
                "--poll-every", "1s"));
        args.addAll(options);
        args.add("--");
        args.add("--output=" + workDir.resolve("%x-%j.out"));
        args.add("--exclusive=user");
        args.addAll(sbatchArgs);
        Cli.Running allocator = cliOn(brokerUri, jobEnv()).start(null, args.toArray(String[]::new));
        allocators.add(allocator);
        return allocator;
    }

    private void submitTo(String pool, int chunks) throws Exception {
        Cli.Result submit = cli().run("submit", "--batch", pool, "--pool", pool, "--chunks", Integer.toString(chunks),
                "--ntimes", "10", "--arg", "chunk=" + pool + "{chunk}");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
    }

    private JsonNode awaitAllocation(String name, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await("status shows allocation " + name).atMost(Duration.ofSeconds(60)).until(() -> {
            Cli.Result status = cli().run("status", "--json");
            for (JsonNode allocation : new ObjectMapper().readTree(status.stdout()).get("allocations")) {
                if (allocation.get("name").asText().equals(name) && condition.test(allocation)) {
                    found[0] = allocation;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<String> jobs(String name) throws Exception {
        return slurm.run(30, List.of("squeue", "-h", "-n", name, "-o", "%i"), Map.of()).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).sorted().toList();
    }

    private static long submitted(Cli.Running allocator) throws Exception {
        return Files.readString(allocator.err()).lines().filter(l -> l.contains(": submitted job ")).count();
    }

    private static long sbatchFailures(Cli.Running allocator) throws Exception {
        return Files.readString(allocator.err()).lines().filter(l -> l.contains(": sbatch failed: ")).count();
    }

    private static List<StandinRecord.Run> succeeded(String prefix) {
        return record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith(prefix))
                .filter(r -> r.finished() && r.exitCode() == 0).toList();
    }

    private static Map<String, String> jobEnv() {
        Map<String, String> env = new HashMap<>(slurm.env());
        env.put("DP3Q_HOME", Repo.path(".").toString());
        env.put("DP3Q_DP3", Repo.path("examples/standin/dp3-standin").toString());
        env.put("DP3Q_LOG_DIR", workDir.resolve("logs").toString());
        env.put("DP3Q_DRAIN_TIMEOUT", "30s");
        env.put("STANDIN_RECORD", workDir.resolve("standin.record").toString());
        return env;
    }
}
