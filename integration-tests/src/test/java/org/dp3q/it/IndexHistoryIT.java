package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dp3q.broker.stream.StreamPosition;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.StandinRecord;
import org.junit.jupiter.api.Test;

/**
 * A site's batch index after weeks: thousands of batches opened before this one. Submitting a new batch must read
 * a bounded part of the index, not all of it, and still know every older batch: a resubmitted batch whose tasks
 * are still queued, opened thousands of batches ago, is left alone. What the index costs is counted by the broker
 * itself: the records it delivered from {@code dp3q.batches}.
 */
class IndexHistoryIT extends RealBrokerTest {
    /** Index records a week of a busy site's barriers leaves, written as older versions and other publishers do. */
    private static final int HISTORY = 3_000;

    @Test
    void a_batch_opened_after_thousands_reads_a_bounded_part_of_the_index_and_older_batches_are_still_known() throws Exception {
        String[] longAgo = {"submit", "--batch", "long-ago", "--chunks", "2", "--ntimes", "10", "--arg", "b=long-ago",
            "--arg", "chunk={chunk}"};
        assertThat(cli().run(longAgo).exitCode()).isZero();
        openOtherBatches(HISTORY);
        // the first look-up over a history without a summary reads it whole, once, and leaves a summary behind
        assertThat(cli().run("submit", "--batch", "first-after", "--chunks", "1", "--ntimes", "10", "--arg", "b=first-after")
                .exitCode()).isZero();
        openOtherBatches(100);
        long before = settledDeliveries();

        Cli.Result next = cli().run("submit", "--batch", "next", "--chunks", "1", "--ntimes", "10", "--arg", "b=next");

        assertThat(next.exitCode()).as(next.toString()).isZero();
        long read = settledDeliveries() - before;
        // the old main read every record of the index here: over 3,100
        assertThat(read).as("index records delivered to the submit of a new batch").isLessThan(1_000);

        // a pipeline's next barrier: the look-up just before left a summary among the index's last records
        long beforeNext = settledDeliveries();
        Cli.Result following = cli().run("submit", "--batch", "following", "--chunks", "1", "--ntimes", "10", "--arg", "b=following");
        assertThat(following.exitCode()).as(following.toString()).isZero();
        // a look-up read the last 200 records of the index every time: 200 deliveries of 0.15 ms each
        assertThat(settledDeliveries() - beforeNext).as("index records delivered to the next barrier's submit").isLessThan(100);

        Cli.Result again = cli().run(longAgo);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stderr()).contains("left 2 task(s) alone");
        startWorker("w1", 2);
        for (String batch : new String[] {"long-ago", "first-after", "next", "following"}) {
            Cli.Result wait = cli().run("wait", "--batch", batch, "--progress", "none", "--timeout", "60s");
            assertThat(wait.exitCode()).as(wait.toString()).isZero();
        }
        assertThat(record().runs().stream().filter(r -> r.arg("b").orElse("").equals("long-ago")))
                .as("each chunk of the resubmitted batch ran once").hasSize(2).allMatch(StandinRecord.Run::finished);
    }

    @Test
    void a_barrier_looks_its_new_batch_up_in_the_index_once_as_a_submit_does() throws Exception {
        assertThat(cli().run("topology").exitCode()).isZero();
        startWorker("w1", 1);
        long bySubmit = markersLeftBy("submit", "--batch", "plain", "--chunks", "1", "--ntimes", "10", "--arg", "b=plain");
        long byBarrier = markersLeftBy("submit", "--batch", "barrier", "--chunks", "1", "--ntimes", "10", "--arg",
                "b=barrier", "--wait", "--progress", "none");
        assertThat(bySubmit).as("catch-up markers a submit's look-up left in the index").isPositive();
        // the last main's wait looked the batch up again, though the submit had just written where it begins
        assertThat(byBarrier).as("catch-up markers of a barrier (submit --wait) of a new batch").isEqualTo(bySubmit);
        assertThat(record().runs().stream().filter(r -> r.arg("b").orElse("").equals("barrier")))
                .as("the barrier's chunk ran once and ended before the barrier returned").hasSize(1)
                .allMatch(StandinRecord.Run::finished);
    }

    @Test
    void a_barrier_of_a_batch_the_index_knows_looks_it_up_once_as_a_submit_does() throws Exception {
        assertThat(cli().run("topology").exitCode()).isZero();
        startWorker("w1", 1);
        String[] again = {"submit", "--batch", "again", "--chunks", "1", "--ntimes", "10", "--arg", "b=again"};
        Cli.Result first = cli().run(concat(again, "--wait", "--progress", "none"));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        // a restarted pipeline submits its batch again: the chunk that ended is published again
        long bySubmit = markersLeftBy(again);
        Cli.Result ran = cli().run("wait", "--batch", "again", "--progress", "none", "--timeout", "60s");
        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        long byBarrier = markersLeftBy(concat(again, "--wait", "--progress", "none"));
        assertThat(bySubmit).as("catch-up markers a submit's look-up of a known batch left in the index").isPositive();
        // the last main's wait looked the batch up again, though the submit had just found where it begins
        assertThat(byBarrier).as("catch-up markers of a barrier (submit --wait) of a known batch").isEqualTo(bySubmit);
        assertThat(record().runs().stream().filter(r -> r.arg("b").orElse("").equals("again")))
                .as("the chunk ran once per submit, each run ended before the next began").hasSize(3)
                .allMatch(StandinRecord.Run::finished);
    }

    /**
     * Runs the command line {@code args}, which must succeed, and returns the catch-up markers its look-ups left in
     * the index: each count appends one marker of its own, the one before this command's is not counted.
     */
    private long markersLeftBy(String... args) throws Exception {
        long before = indexMarkers();
        Cli.Result result = cli().run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return indexMarkers() - before - 1;
    }

    private static String[] concat(String[] args, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    /**
     * The catch-up markers in the index so far: read up to where it ends, learnt with a marker of this count's own,
     * which the next count sees.
     */
    private static long indexMarkers() throws Exception {
        try (Connection connection = connect()) {
            long end = StreamPosition.next(connection, Topology.BATCHES_STREAM);
            AtomicLong markers = new AtomicLong();
            CountDownLatch reached = new CountDownLatch(1);
            try (StreamReader ignored = StreamReader.from(connection, Topology.BATCHES_STREAM, "first", indexRecord -> {
                if (indexRecord.offset() != null && indexRecord.offset() >= end) {
                    reached.countDown();
                } else if (reached.getCount() > 0 && indexRecord.isMarker()) {
                    markers.incrementAndGet();
                }
            })) {
                assertThat(reached.await(30, TimeUnit.SECONDS)).as("the index read up to offset " + end).isTrue();
            }
            return markers.get();
        }
    }

    /** Index records of {@code count} other batches, each opened at events offset 0. */
    private static void openOtherBatches(int count) throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                String other = "other-" + System.nanoTime() + "-" + i;
                channel.basicPublish("dp3q.batches.in", "", new AMQP.BasicProperties.Builder().type("dp3q.batch-opened")
                        .contentType("application/json").headers(Map.of("dp3q-batch", other, "dp3q-events-offset", 0L)).build(),
                        ("{\"schema\":\"dp3q.batch/1\",\"batch\":\"" + other + "\",\"events_offset\":0,\"by\":\"submit\"}")
                                .getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    /**
     * The records the broker has delivered from the index so far, once its statistics (emitted every few seconds)
     * have stopped changing: nothing else reads the index of this test's vhost meanwhile.
     */
    private static long settledDeliveries() {
        AtomicLong last = new AtomicLong(-1);
        AtomicLong since = new AtomicLong(System.nanoTime());
        await("the index's delivery count settled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    long now = management.get("/api/queues/" + enc(vhost) + "/dp3q.batches")
                            .path("message_stats").path("deliver_get").asLong(0);
                    if (now != last.getAndSet(now)) {
                        since.set(System.nanoTime());
                        return false;
                    }
                    // longer than the broker's statistics interval (5 s by default)
                    return System.nanoTime() - since.get() > Duration.ofSeconds(7).toNanos();
                });
        return last.get();
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
