package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** A worker near the end of its allocation starts no task that cannot end in time, and gives it back uncounted. */
class WalltimeIT extends RealBrokerTest {

    @Test
    void a_worker_20_s_from_its_end_runs_the_short_task_returns_the_long_one_uncounted_and_exits_0() throws Exception {
        // queued first, so the worker meets them as soon as it consumes, whatever the machine's load
        submitLines("{\"batch\":\"walltime\",\"chunk\":0,\"chunks\":2,\"timeout_s\":60,\"args\":[\"chunk=long\",\"standin.sleep=1\"]}\n"
                + "{\"batch\":\"walltime\",\"chunk\":1,\"chunks\":2,\"timeout_s\":5,\"args\":[\"chunk=short\",\"standin.sleep=1\"]}");
        WorkerProcess ending = startWorker("ending", 1, "--end-time", Instant.now().plusSeconds(20).toString(),
                "--drain-timeout", "2s");

        // it refuses the long task, runs the short one, meets the long one again: nothing queued fits, it leaves
        assertThat(ending.waitForExit(40)).as("a worker that can fit no task exits 0").isZero();
        assertThat(runsOf("long")).as("never started where it could not end in time").isEmpty();
        assertThat(runsOf("short")).singleElement().satisfies(r -> assertThat(r.workerPid()).isEqualTo(ending.pid()));
        assertThat(queueCounts("dp3q.tasks.default")[0]).as("the long task waits for another worker").isEqualTo(1);

        WorkerProcess fresh = startWorker("fresh", 1);
        Cli.Result wait = cli().run("wait", "--batch", "walltime", "--timeout", "60s", "--progress", "none");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(runsOf("long")).singleElement().satisfies(r -> assertThat(r.workerPid()).isEqualTo(fresh.pid()));

        EventLog events = EventLog.read(brokerUri, "walltime");
        assertThat(events.of("walltime/0", EventType.RETURNED)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(Reason.WALLTIME);
            assertThat(e.worker().tag()).isEqualTo("ending");
        });
        assertThat(events.of("walltime/0", EventType.SUCCEEDED)).singleElement()
                .satisfies(e -> assertThat(e.attempt()).as("the refusals spent no delivery").isEqualTo(1));
        Cli.Result failed = cli().run("failed", "--batch", "walltime", "--json");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        assertThat(failed.stdout()).as("nothing in failed").isBlank();
        assertThat(ending.output()).contains("no queued task can end before this worker's allocation does");
    }
}
