package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/** {@code dp3q failed} reads the failed queue without taking anything away or changing its order. */
class FailedQueuePeekIT extends RealBrokerTest {

    @Test
    void looking_at_the_failed_queue_loses_and_reorders_nothing() throws Exception {
        startWorker("w1", 1, "--quarantine-after", "0"); // every task fails: no quarantine here
        awaitConsumers(1);
        String lines = String.join("\n", java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> "{\"batch\":\"peek\",\"chunk\":" + i + ",\"args\":[\"standin.exit=1\"]}").toList());
        assertThat(cli().runWithInput(lines, "submit", "-").exitCode()).isZero();
        assertThat(cli().run("wait", "--batch", "peek", "--timeout", "60s").exitCode()).isEqualTo(1);

        String first = cli().run("failed", "--batch", "peek", "--json").stdout();
        String second = cli().run("failed", "--batch", "peek", "--json").stdout();
        assertThat(first.lines()).hasSize(6);
        assertThat(second).isEqualTo(first);
        assertThat(queueCounts("dp3q.failed")[0]).isEqualTo(6);
    }
}
