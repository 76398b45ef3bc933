package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.LocalSlurm;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.Repo;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/slurm/ on a real one-node SLURM cluster (deploy/slurm/local-slurm.sh): the pipeline job starts workers on
 * its allocation with srun, publishes a batch and waits on it; the workers job drains on the TERM that
 * --signal=B:TERM@120 sends to the batch shell before the time limit (sent here with scancel --batch, as SLURM does).
 */
class SlurmIT extends RealBrokerTest {
    private static LocalSlurm slurm;

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

    @Test
    void the_pipeline_job_runs_workers_on_its_allocation_publishes_the_batch_and_waits_on_it() throws Exception {
        Map<String, String> env = jobEnv();
        env.put("DP3Q_EXTRA_ARGS", "--arg standin.sleep=0.5 --arg chunk=p{chunk}");
        Path output = workDir.resolve("pipeline.out");

        slurm.run(240, List.of("sbatch", "--wait", "--output=" + output, Repo.path("deploy/slurm/pipeline.sbatch").toString(),
                "slurm-pipeline", "6", "/data/obs.ms", workDir.resolve("work").toString(), "10"), env);

        assertThat(Files.readString(output)).contains("all 6 chunks of slurm-pipeline succeeded",
                "pipeline ended (exit 0)");
        List<StandinRecord.Run> runs = record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith("p")).toList();
        assertThat(runs).hasSize(6).allMatch(r -> r.finished() && r.exitCode() == 0);
    }

    @Test
    void term_before_the_time_limit_lets_running_chunks_finish_and_leaves_the_rest_queued() throws Exception {
        Cli.Result submit = cli().run("submit", "--batch", "slurm-drain", "--chunks", "8", "--ntimes", "10",
                "--arg", "chunk=d{chunk}", "--arg", "standin.sleep=4");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Path output = workDir.resolve("workers.out");

        String job = slurm.run(60, List.of("sbatch", "--parsable", "--output=" + output,
                Repo.path("deploy/slurm/dp3q-workers.sbatch").toString()), jobEnv()).strip();
        Awaitility.await("two chunks running").atMost(Duration.ofSeconds(90))
                .until(() -> drainRuns().size() >= 2);
        slurm.run(30, List.of("scancel", "--batch", "--signal=TERM", job), Map.of());
        Awaitility.await("the job ended").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> slurm.run(30, List.of("squeue", "-h", "-j", job), Map.of()).isBlank());

        assertThat(Files.readString(output)).contains("TERM: the time limit is near", "workers stopped (exit 0)")
                .contains("drained and stopped");
        List<StandinRecord.Run> runs = drainRuns();
        assertThat(runs).as("the chunks running at TERM finished, none was killed").hasSize(2)
                .allMatch(r -> r.finished() && r.exitCode() == 0);
        assertThat(queueCounts("dp3q.tasks.default")[0]).as("the rest is still queued").isEqualTo(6);
    }

    private static List<StandinRecord.Run> drainRuns() {
        return record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith("d")).toList();
    }

    private static Map<String, String> jobEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DP3Q_BROKER", brokerUri);
        env.put("DP3Q_HOME", Repo.path(".").toString());
        env.put("DP3Q_DP3", Repo.path("examples/standin/dp3-standin").toString());
        env.put("DP3Q_SLOTS", "2");
        env.put("DP3Q_LOG_DIR", workDir.resolve("logs").toString());
        env.put("DP3Q_DRAIN_TIMEOUT", "60s");
        env.put("STANDIN_RECORD", workDir.resolve("standin.record").toString());
        return env;
    }
}
