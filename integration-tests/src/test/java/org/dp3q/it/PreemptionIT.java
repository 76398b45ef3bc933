package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.Jars;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 4, its last sentence: a drained, preempted task goes back without spending the delivery limit, while a
 * run that dies with its worker still counts, so a poison task stays bounded.
 */
class PreemptionIT extends RealBrokerTest {
    private static final int DRAINS = 8;

    @Test
    void a_chunk_drained_8_times_then_run_to_the_end_succeeds() throws Exception {
        // a long chunk for its first DRAINS runs, then a quick one
        Path tool = phasedTool("long-then-quick", DRAINS, "standin.sleep=30", "standin.sleep=0");
        submitLines("{\"batch\":\"preempted\",\"chunk\":0,\"chunks\":1,\"tool\":\"PHASED\",\"args\":[\"chunk=pre0\"]}");
        for (int drain = 1; drain <= DRAINS; drain++) {
            // SLURM preempts the job or its walltime ends: SIGTERM, and the drain timeout is too short for the chunk
            WorkerProcess preempted = startWorker("preempted-" + drain, 1, "--tool", "PHASED=" + tool,
                    "--drain-timeout", "1s", "--kill-grace", "1s");
            awaitRuns("pre0", drain);
            preempted.terminate();
            assertThat(preempted.waitForExit(30)).as("a drained worker exits 0").isZero();
        }
        assertThat(queueCounts(Topology.FAILED_QUEUE)[0]).as("drains never land a task in failed").isZero();
        assertThat(queueCounts(Topology.DEAD_LETTER_QUEUE)[0]).isZero();

        startWorker("survivor", 1, "--tool", "PHASED=" + tool);
        Cli.Result wait = cli().run("wait", "--batch", "preempted", "--timeout", "120s");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(runsOf("pre0")).hasSize(DRAINS + 1);
        EventLog events = EventLog.read(brokerUri, "preempted");
        List<Event> returned = events.of("preempted/0", EventType.RETURNED);
        assertThat(returned).hasSize(DRAINS).allSatisfy(e -> assertThat(e.reason()).isEqualTo(Reason.DRAINED));
        assertThat(events.of("preempted/0", EventType.SUCCEEDED)).singleElement()
                .satisfies(e -> assertThat(e.attempt()).as("drains are not attempts").isEqualTo(1));
        assertThat(events.of("preempted/0", EventType.FAILED)).isEmpty();
    }

    @Test
    void a_drained_chunk_that_then_kills_its_worker_every_time_still_fails_with_delivery_limit_its_drains_told_apart()
            throws Exception {
        Path tool = phasedTool("long-then-poison", 2, "standin.sleep=30", "standin.kill-parent=1");
        submitLines("{\"batch\":\"drained-poison\",\"chunk\":0,\"chunks\":1,\"tool\":\"PHASED\",\"args\":[\"chunk=dp0\"]}");
        for (int drain = 1; drain <= 2; drain++) {
            WorkerProcess preempted = startWorker("drained-" + drain, 1, "--tool", "PHASED=" + tool,
                    "--drain-timeout", "1s", "--kill-grace", "1s");
            awaitRuns("dp0", drain);
            preempted.terminate();
            assertThat(preempted.waitForExit(30)).isZero();
        }

        // a supervisor (systemd, SLURM, a shell loop) restarts the worker the poison task keeps killing
        WorkerProcess[] worker = {startWorker("victim", 1, "--tool", "PHASED=" + tool)};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!worker[0].isAlive()) {
                worker[0] = startWorker("victim", 1, "--tool", "PHASED=" + tool);
            }
            return queueCounts(Topology.FAILED_QUEUE)[0] == 1 && queueCounts(Topology.DEAD_LETTER_QUEUE)[0] == 0;
        });
        assertThat(runsOf("dp0")).as("2 drained runs, then the delivery limit's worth of killed workers")
                .hasSize(2 + Topology.DELIVERY_LIMIT + 1);

        Cli.Result failed = cli().run("failed", "--batch", "drained-poison", "--json");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        List<JsonNode> records = failed.stdout().lines().map(BatchRunIT.RealJson::parse).toList();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.get("reason").asText()).isEqualTo("delivery-limit");
            assertThat(r.get("deliveries").asInt()).isEqualTo(Topology.DELIVERY_LIMIT + 1);
            assertThat(r.get("drains").asInt()).isEqualTo(2);
        });
        Cli.Result table = cli().run("failed", "--batch", "drained-poison");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout()).contains("deliveries " + (Topology.DELIVERY_LIMIT + 1) + ", drains 2");
    }

    /** A tool that runs the stand-in with {@code early} for its first {@code runs} runs, then with {@code late}. */
    static Path phasedTool(String name, int runs, String early, String late) throws Exception {
        Path counter = workDir.resolve(name + ".count");
        Path script = workDir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "n=$(cat '" + counter + "' 2>/dev/null || echo 0)\n"
                + "echo $((n + 1)) > '" + counter + "'\n"
                + "if [ \"$n\" -lt " + runs + " ]; then exec '" + Jars.standin() + "' \"$@\" " + early + "; fi\n"
                + "exec '" + Jars.standin() + "' \"$@\" " + late + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
