package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import org.dp3q.broker.stream.CatchUpMarker;
import org.dp3q.broker.stream.StreamPosition;
import org.dp3q.broker.topology.Topology;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/**
 * A catch-up marker the stream took no record of must fail its append, not pass for stored: just after a broker
 * restart the events exchange routes nowhere for a while, and a {@code dp3q wait} whose marker went nowhere waited
 * for it forever (BrokerRestartIT failed so in CI: every chunk had ended, wait never did).
 */
class CatchUpMarkerIT extends RealBrokerTest {

    @Test
    void a_marker_that_reaches_no_queue_fails_its_append_and_one_that_does_is_read_back() throws Exception {
        try (Connection connection = connect()) {
            try (Channel channel = connection.createChannel()) {
                // the exchange without its stream: what a restarted broker routes to for a moment
                channel.exchangeDeclare(Topology.EVENTS_EXCHANGE, BuiltinExchangeType.FANOUT, true);
            }

            assertThatThrownBy(() -> CatchUpMarker.append(connection, Topology.EVENTS_STREAM))
                    .isInstanceOf(IOException.class).hasMessageContaining("reached no queue");

            assertThat(cli().run("topology").exitCode()).isZero();
            assertThat(StreamPosition.next(connection, Topology.EVENTS_STREAM)).isGreaterThanOrEqualTo(0);
        }
    }
}
