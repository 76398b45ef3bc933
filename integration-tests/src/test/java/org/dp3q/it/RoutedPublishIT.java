package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.EventType;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 3 read strictly: a broker confirms a message it routes nowhere, so every publish a guarantee rests on is
 * mandatory, and one that no queue takes is an error: the delivery is not acked and the task comes back.
 */
class RoutedPublishIT extends RealBrokerTest {
    private static final String DELAY_QUEUE = Topology.retryQueue(Topology.DEFAULT_POOL, Duration.ofSeconds(1));

    @Test
    void a_retry_whose_delay_queue_is_gone_does_not_lose_its_task() throws Exception {
        // failures that take longer than --failed-fast, so they are retried rather than suspected
        startWorker("retrier", 1, "--retry-delay", "1s", "--retry-max-delay", "1s", "--failed-fast", "100ms");
        submitLines("{\"batch\":\"first\",\"chunk\":0,\"chunks\":1,\"max_attempts\":2,"
                + "\"args\":[\"chunk=f0\",\"standin.sleep=0.3\",\"standin.exit=3\"]}");
        Cli.Result first = cli().run("wait", "--batch", "first", "--timeout", "60s", "--progress", "none");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);

        // the worker declared its delay queue for the first retry; an operator deletes it now
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(DELAY_QUEUE);
        }
        submitLines("{\"batch\":\"second\",\"chunk\":0,\"chunks\":1,\"max_attempts\":3,"
                + "\"args\":[\"chunk=s0\",\"standin.sleep=0.3\",\"standin.exit=3\"]}");
        Cli.Result second = cli().run("wait", "--batch", "second", "--timeout", "60s", "--progress", "none");
        assertThat(second.exitCode()).as("the task was not lost: " + second).isEqualTo(1);
        assertThat(second.stdout()).contains("chunk 0 (second/0)");
        assertThat(runsOf("s0")).as("the unroutable retry came back and ran again").hasSize(3);
        EventLog events = EventLog.read(brokerUri, "second");
        assertThat(events.of("second/0", EventType.FAILED)).singleElement()
                .satisfies(e -> assertThat(e.attempt()).isEqualTo(3));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(queueCounts(DELAY_QUEUE)).as("declared again after the return").isNotNull());
    }

    @Test
    void a_cancel_that_reaches_no_one_says_so() throws Exception {
        String user = "dp3q-it-canceller-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        // may publish to the control exchange, not bind (nor declare) anything
        management.createUser(vhost, user, password, "^$", "^dp3q\\.control$", ".*");
        try {
            try (Connection connection = connect(); Channel channel = connection.createChannel()) {
                Topology.declare(channel, java.util.List.of(Topology.DEFAULT_POOL));
                channel.queueUnbind(Topology.CONTROL_LOG_STREAM, Topology.CONTROL_EXCHANGE, "");
            }
            String uri = brokerUri.replace(broker.user() + ":" + broker.password() + "@", user + ":" + password + "@");
            Cli.Result cancel = cliOn(uri, Map.of()).run("cancel", "--batch", "nobody-hears");
            assertThat(cancel.exitCode()).as(cancel.toString()).isEqualTo(3);
            assertThat(cancel.stderr()).contains("reached no one");
            assertThat(cancel.stdout()).doesNotContain("sent to every worker");
        } finally {
            management.deleteUser(user);
        }
    }
}
