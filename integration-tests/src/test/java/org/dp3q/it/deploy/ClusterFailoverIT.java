package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.DeathWatch;
import org.dp3q.it.support.LocalCluster;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 3-node RabbitMQ cluster on loopback (deploy/cluster/local-cluster.sh); workers and wait name every node in
 * their URI. The node holding the task queue's leader is stopped mid-batch: every task still completes, and no
 * chunk ever runs twice at the same time (the stand-in's own timestamps). The workers claim their runs: worker a's
 * connection goes with the node, its runs go on under their claims, and the copies the queue's new leader hands
 * out are held, then settled (docs/design/claims.md); chunks of 3 s are long enough to be claimed.
 */
class ClusterFailoverIT extends RealBrokerTest {
    private static final int TASKS = 40;
    private static final String[] CLAIMS = {"--claim-lease", "20s"};
    private static LocalCluster cluster;
    private long overlaps;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(3, null, false);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void stopping_the_node_that_leads_the_task_queue_mid_batch_loses_no_task_and_runs_none_twice_at_once() throws Exception {
        String uri = cluster.uri("");
        // the first worker declares the topology; RabbitMQ puts a new queue's leader on the declaring client's node
        WorkerProcess a = startWorkerOn(uri, Map.of(), "a", 1, CLAIMS);
        int leader = Awaitility.await("task queue declared").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> cluster.leaderOf("dp3q.tasks.default"), n -> n > 0);
        assertThat(cluster.hasConnection(leader, "dp3q-worker a")).as("worker a is on the leader's node").isTrue();
        startWorkerOn(uri, Map.of(), "b", 3, CLAIMS);
        Cli cli = cliOn(uri, Map.of());
        Awaitility.await("4 slots consuming").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> cli.run("status", "--json").stdout().contains("\"consumers\":4"));

        long started = System.nanoTime();
        Cli.Result submit = cli.run("submit", "--batch", "failover", "--chunks", Integer.toString(TASKS), "--ntimes", "10",
                "--arg", "chunk={chunk}", "--arg", "standin.sleep=3");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Cli.Running wait = cli.start(null, "wait", "--batch", "failover", "--progress", "lines");
        Awaitility.await("a quarter of the batch done").atMost(Duration.ofSeconds(120))
                .until(() -> record().runs().stream().filter(StandinRecord.Run::finished).count() >= TASKS / 4);
        Cli.Result waited;
        StandinRecord record;
        try (DeathWatch deaths = new DeathWatch(
                () -> record().runs().stream().filter(r -> !r.finished()).map(StandinRecord.Run::pid).toList())) {
            // stopped while worker a's run is old enough to be claimed (a run is claimed once it has run a second)
            Awaitility.await("worker a's run claimed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> record().runs().stream().filter(r -> r.workerPid() == a.pid() && !r.finished())
                            .anyMatch(r -> WorkerProcess.epochNanos() - r.startNs() > 1_400_000_000L));
            cluster.stopNode(leader);
            waited = wait.await(300);
            record = record();
            overlaps = overlaps(record, deaths);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        Set<String> succeeded = record.runs().stream().filter(r -> r.finished() && r.exitCode() == 0)
                .map(r -> r.arg("chunk").orElse("?")).collect(Collectors.toSet());
        long lost = TASKS - succeeded.size();
        long killed = record.runs().stream().filter(r -> !r.finished()).count();
        long reruns = record.runs().size() - TASKS;
        System.out.printf("cluster failover: tasks %d, node %d (task queue leader, worker a's node) stopped mid-batch, "
                        + "runs %d, killed %d, re-runs %d, overlaps %d, lost %d, %.1f s from submit to wait's exit%n",
                TASKS, leader, record.runs().size(), killed, reruns, overlaps, lost, seconds);
        assertThat(lost).isZero();
        assertThat(overlaps).as("a chunk ran twice at the same time").isZero();
        assertThat(killed).as("worker a's claimed run went on when its node went").isZero();
        assertThat(reruns).isZero();
        assertThat(cluster.leaderOf("dp3q.tasks.default")).as("a new leader on a surviving node").isNotEqualTo(leader);
    }

    /**
     * Pairs of runs of one chunk whose lifetimes overlapped. A killed run (no end in the record) ends when the death
     * watch saw it stop; one it did not watch counts as running forever.
     */
    private static long overlaps(StandinRecord record, DeathWatch deaths) {
        long overlaps = 0;
        var byChunk = record.runs().stream().collect(Collectors.groupingBy(r -> r.arg("chunk").orElse("?")));
        for (List<StandinRecord.Run> runs : byChunk.values()) {
            List<StandinRecord.Run> sorted = runs.stream().sorted(Comparator.comparingLong(StandinRecord.Run::startNs)).toList();
            for (int i = 0; i < sorted.size(); i++) {
                StandinRecord.Run first = sorted.get(i);
                Long death = deaths.deathNs(first.pid());
                long end = first.finished() ? first.endNs() : death != null ? death : Long.MAX_VALUE;
                for (int j = i + 1; j < sorted.size(); j++) {
                    if (sorted.get(j).startNs() < end) {
                        overlaps++;
                    } else {
                        System.out.printf("cluster failover: chunk %s re-ran %.0f ms after its first run ended%n",
                                first.arg("chunk").orElse("?"), (sorted.get(j).startNs() - end) / 1e6);
                    }
                }
            }
        }
        return overlaps;
    }
}
