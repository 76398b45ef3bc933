package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** dp3q-worker --idle-exit: the way a SLURM job started by 'dp3q allocate' ends once its pool's work is done. */
class IdleExitIT extends RealBrokerTest {

    @Test
    void a_worker_stays_while_its_slot_runs_a_task_longer_than_the_idle_time_and_exits_0_once_the_pool_stays_empty()
            throws Exception {
        submitLines("{\"batch\":\"idle\",\"chunk\":0,\"chunks\":1,\"args\":[\"chunk=i0\",\"standin.sleep=4\"]}");
        WorkerProcess worker = startWorker("idle-a", 1, "--idle-exit", "2s");

        await().atMost(Duration.ofSeconds(60)).until(() -> !runsOf("i0").isEmpty() && runsOf("i0").get(0).finished());
        StandinRecord.Run run = runsOf("i0").get(0);
        assertThat(worker.isAlive()).as("a busy slot is not idle, though the pool was empty for 4 s").isTrue();
        assertThat(run.exitCode()).isZero();

        assertThat(worker.waitForExit(30)).as("exit 0 after the idle time").isZero();
        long exitedAfterRunMs = (WorkerProcess.epochNanos() - run.endNs()) / 1_000_000;
        assertThat(exitedAfterRunMs).as("idle for the whole --idle-exit first").isGreaterThanOrEqualTo(2_000);
        assertThat(worker.output()).contains("stopping (--idle-exit)").contains("drained and stopped");
        assertThat(queueCounts("dp3q.tasks.default")[1]).as("no consumer left").isZero();
    }
}
