package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.dp3q.broker.stream.CatchUpMarker;
import org.dp3q.broker.topology.Topology;
import org.dp3q.broker.topology.TopologyDeclarer;
import org.dp3q.it.support.RealBrokerTest;
import org.junit.jupiter.api.Test;

/**
 * The topology is declared in one round trip when the broker takes every declaration, and one object at a time when
 * it refuses one: then the object it refused is named, and what came before it is declared all the same. (A user
 * who may declare nothing is {@code deploy/LeastPrivilegeIT}.)
 */
class TopologyDeclareIT extends RealBrokerTest {
    @Test
    void declares_every_shared_object_and_the_pools_queues_on_a_new_vhost() throws Exception {
        try (Connection connection = connect()) {
            TopologyDeclarer.declare(connection, List.of("default", "gpu"));
            try (Channel channel = connection.createChannel()) {
                for (String queue : List.of(Topology.EVENTS_STREAM, Topology.BATCHES_STREAM, Topology.FAILED_QUEUE,
                        Topology.CLAIMS_STREAM, Topology.taskQueue("default"), Topology.taskQueue("gpu"))) {
                    channel.queueDeclarePassive(queue);
                }
                for (String exchange : List.of(Topology.TASKS_EXCHANGE, Topology.EVENTS_EXCHANGE, Topology.BATCHES_EXCHANGE,
                        Topology.CLAIMS_EXCHANGE)) {
                    channel.exchangeDeclarePassive(exchange);
                }
            }
            // the bindings: a marker published to the events' exchange lands in the stream (it throws when unroutable)
            CatchUpMarker.append(connection, Topology.EVENTS_STREAM);
            // declared again: nothing changes, nothing fails
            TopologyDeclarer.declare(connection, List.of("default"));
        }
    }

    @Test
    void an_object_declared_otherwise_is_named_and_the_objects_before_it_are_declared() throws Exception {
        try (Connection connection = connect()) {
            try (Channel channel = connection.createChannel()) {
                channel.queueDelete(Topology.FAILED_QUEUE);
                channel.exchangeDelete(Topology.TASKS_EXCHANGE);
                // a classic queue where dp3q declares a quorum queue: the broker refuses dp3q's declaration (406)
                channel.queueDeclare(Topology.FAILED_QUEUE, true, false, false, Map.of("x-queue-type", "classic"));
            }
            assertThatThrownBy(() -> TopologyDeclarer.declare(connection, List.of("default")))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining(Topology.FAILED_QUEUE)
                    .hasStackTraceContaining("x-queue-type");
            try (Channel channel = connection.createChannel()) {
                // declared before the refused queue, on the one-at-a-time path
                channel.exchangeDeclarePassive(Topology.TASKS_EXCHANGE);
                channel.queueDelete(Topology.FAILED_QUEUE);
            }
            TopologyDeclarer.declare(connection, List.of("default"));
        }
    }
}
