package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.OwnBroker;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * Workers, submit and wait all ride through a broker stop and start: running subprocesses die before the
 * broker is gone (their deliveries go back to the queue), workers reconnect by themselves (one even starts
 * while the broker is down), a submit issued meanwhile goes through once it is back, and a wait started
 * before the restart ends with the right answer.
 */
@OwnBroker
class BrokerRestartIT extends RealBrokerTest {

    @Test
    void workers_submit_and_wait_survive_a_broker_restart_and_interrupted_chunks_run_again() throws Exception {
        WorkerProcess w1 = startWorker("r1", 1);
        WorkerProcess w2 = startWorker("r2", 1);
        awaitConsumers(2);
        String lines = IntStream.range(0, 6).mapToObj(i -> "{\"batch\":\"restart\",\"chunk\":" + i + ",\"args\":[\"chunk=" + i
                + "\"," + (i == 5 ? "\"standin.exit=5\"" : "\"standin.sleep=20\",\"standin.sleep-once="
                + workDir.resolve("slept." + i) + "\"") + "]}").collect(Collectors.joining("\n"));
        Cli.Result submit = cli().runWithInput(lines, "submit", "-");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Cli.Running waitBefore = cli().start(null, "wait", "--batch", "restart", "--progress", "lines");
        await().atMost(Duration.ofSeconds(30)).until(() -> record().runs().size() == 2 && liveStandins().size() >= 4);
        List<StandinRecord.Run> interrupted = record().runs();

        long stopAt = WorkerProcess.epochNanos();
        Thread stopper = new Thread(() -> {
            try {
                scratch.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> liveStandins().isEmpty());
        long goneAt = WorkerProcess.epochNanos();
        stopper.join(90_000);
        assertThat(scratch.isRunning()).isFalse();
        assertThat(liveStandins()).as("nothing runs while the broker is away").isEmpty();

        WorkerProcess w3 = startWorker("r3", 1);
        Cli.Running submitDuring = cli().start("{\"batch\":\"during\",\"chunk\":0,\"args\":[\"chunk=d0\"]}\n"
                + "{\"batch\":\"during\",\"chunk\":1,\"args\":[\"chunk=d1\"]}", "submit", "-");
        await().atMost(Duration.ofSeconds(30)).until(() -> w3.output().contains("is down"));
        long startAt = WorkerProcess.epochNanos();
        scratch.startAgain();

        Cli.Result submitted = submitDuring.await(120);
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        Cli.Result waited = waitBefore.await(120);
        assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(1);
        assertThat(waited.stdout()).as(waited.toString()).contains("chunk 5 (restart/5)").doesNotContain("chunk 0 (restart/0)");
        Cli.Result during = cli().run("wait", "--batch", "during", "--timeout", "60s");
        assertThat(during.exitCode()).as(during.toString()).isZero();
        awaitConsumers(3);
        assertThat(List.of(w1, w2, w3)).allMatch(WorkerProcess::isAlive);

        StandinRecord record = record();
        for (StandinRecord.Run cut : interrupted) {
            String chunk = cut.arg("chunk").orElseThrow();
            assertThat(record.runsPer("chunk").get(chunk)).as("chunk " + chunk).isEqualTo(2);
        }
        assertThat(record.overlapsPer("chunk", killed -> goneAt)).isZero();
        long firstRerun = record.runs().stream().filter(r -> r.startNs() > startAt)
                .filter(r -> interrupted.stream().anyMatch(c -> c.arg("chunk").equals(r.arg("chunk"))))
                .mapToLong(StandinRecord.Run::startNs).min().orElseThrow();
        long lostAt = firstLoss(w1.output() + w2.output());
        System.out.printf("broker restart: running subprocesses gone %d ms after 'rabbitmqctl stop' was issued (%d ms"
                + " after the broker closed the workers' connections); interrupted chunk ran again %d ms after the broker"
                + " was started again%n", (goneAt - stopAt) / 1_000_000, (goneAt - lostAt) / 1_000_000,
                (firstRerun - startAt) / 1_000_000);
    }

    /** When a worker first logged a lost delivery, in ns since the epoch. */
    private static long firstLoss(String workerLogs) {
        java.util.regex.Matcher lost = java.util.regex.Pattern.compile("^(\\S+) WARN .*lost the delivery",
                java.util.regex.Pattern.MULTILINE).matcher(workerLogs);
        long first = Long.MAX_VALUE;
        while (lost.find()) {
            java.time.Instant at = java.time.Instant.parse(lost.group(1));
            first = Math.min(first, at.getEpochSecond() * 1_000_000_000L + at.getNano());
        }
        assertThat(first).as("a worker logged its lost delivery").isLessThan(Long.MAX_VALUE);
        return first;
    }
}
