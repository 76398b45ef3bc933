package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.DeathWatch;
import org.dp3q.it.support.OwnBroker;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The compute an outage costs, with and without claims: a benchmark, not a test of timing (it runs only when
 * asked, {@code -Ddp3q.bench.claims=true}; see bench/README.md). Two workers with two slots each run four chunks
 * of {@code dp3q.bench.chunk} seconds (default 60); halfway through, the broker restarts, or every connection is
 * closed through the management API and reconnecting is refused for 5 s. Compute lost: the run time of the
 * attempts that were killed. Printed as one line per case, for {@code --claim-lease 0} and the default 90 s.
 */
@OwnBroker
@EnabledIfSystemProperty(named = "dp3q.bench.claims", matches = "true")
class ClaimsBenchIT extends RealBrokerTest {
    private static final int CHUNK_S = Integer.getInteger("dp3q.bench.chunk", 60);

    @Test
    void compute_lost_to_a_broker_restart_and_to_a_5_s_connection_drop_with_and_without_claims() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String lease : List.of("0", "90s")) {
            lines.add(measure("restart", lease));
            lines.add(measure("drop", lease));
        }
        System.out.println("claims benchmark: 2 workers x 2 slots, 4 chunks of " + CHUNK_S + " s, outage at " + CHUNK_S / 2 + " s");
        System.out.println("| outage | --claim-lease | compute lost | runs | overlaps | batch done after |");
        System.out.println("|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
    }

    private String measure(String outage, String lease) throws Exception {
        String batch = outage + "-" + lease.replace("s", "");
        WorkerProcess a = startWorker(batch + "-a", 2, "--claim-lease", lease);
        WorkerProcess b = startWorker(batch + "-b", 2, "--claim-lease", lease);
        awaitConsumersOf(4);
        StringBuilder tasks = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            tasks.append("{\"batch\":\"").append(batch).append("\",\"chunk\":").append(i).append(",\"args\":[\"chunk=")
                    .append(batch).append(i).append("\",\"standin.sleep=").append(CHUNK_S).append("\"]}\n");
        }
        long submittedAt = WorkerProcess.epochNanos();
        submitLines(tasks.toString());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runs(batch).size() == 4);
        try (DeathWatch deaths = new DeathWatch(() -> runs(batch).stream().map(StandinRecord.Run::pid).toList())) {
            TimeUnit.SECONDS.sleep(CHUNK_S / 2);
            if (outage.equals("restart")) {
                scratch.stop();
                scratch.startAgain();
            } else {
                management.denyAccess(vhost);
                closeConnectionsOf(a, b);
                TimeUnit.SECONDS.sleep(5);
                management.allowAccess(vhost);
            }
            Cli.Result wait = cli().run("wait", "--batch", batch, "--timeout", (3 * CHUNK_S + 120) + "s");
            assertThat(wait.exitCode()).as(wait.toString()).isZero();
            List<StandinRecord.Run> runs = runs(batch);
            long lostMs = 0;
            for (StandinRecord.Run run : runs) {
                if (!run.finished()) {
                    Long died = deaths.deathNs(run.pid());
                    assertThat(died).as("killed run %s", run).isNotNull();
                    lostMs += (died - run.startNs()) / 1_000_000;
                }
            }
            long overlaps = overlaps(runs, deaths);
            long end = runs.stream().filter(StandinRecord.Run::finished).mapToLong(StandinRecord.Run::endNs).max().orElseThrow();
            a.kill9();
            b.kill9();
            return String.format("| %s | %s | %.1f s | %d | %d | %.1f s |", outage.equals("restart") ? "broker restart"
                    : "connection drop, 5 s refused", lease, lostMs / 1000.0, runs.size(), overlaps,
                    (end - submittedAt) / 1e9);
        }
    }

    /** Pairs of runs of one chunk that ran at the same time; a killed run ends when the death watch saw it gone. */
    private static long overlaps(List<StandinRecord.Run> runs, DeathWatch deaths) {
        long overlaps = 0;
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                StandinRecord.Run x = runs.get(i);
                StandinRecord.Run y = runs.get(j);
                if (x.arg("chunk").equals(y.arg("chunk")) && x.startNs() < end(y, deaths) && y.startNs() < end(x, deaths)) {
                    overlaps++;
                }
            }
        }
        return overlaps;
    }

    private static long end(StandinRecord.Run run, DeathWatch deaths) {
        Long died = deaths.deathNs(run.pid());
        return run.finished() ? run.endNs() : died == null ? Long.MAX_VALUE : died;
    }

    private static List<StandinRecord.Run> runs(String batch) {
        return record().runs().stream().filter(r -> r.arg("chunk").orElse("").startsWith(batch)).toList();
    }

    private static void awaitConsumersOf(int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> queueCounts("dp3q.tasks.default")[1] == count);
    }
}
