package org.dp3q.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Address;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerAddressesTest {

    @Test
    void a_single_host_uri_is_one_node_and_stays_as_it_is() {
        BrokerAddresses addresses = BrokerAddresses.parse("amqp://dp3q:pw@rabbit.lab:5672/selfcal");

        assertEquals(List.of(new Address("rabbit.lab", 5672)), addresses.nodes());
        assertEquals("amqp://dp3q:pw@rabbit.lab:5672/selfcal", addresses.singleHost());
        assertFalse(addresses.isCluster());
    }

    @Test
    void a_comma_separated_host_list_names_every_node_in_order() {
        BrokerAddresses addresses = BrokerAddresses.parse("amqp://dp3q:pw@h1:5701, h2:5702,h3/selfcal?heartbeat=10");

        assertEquals(List.of(new Address("h1", 5701), new Address("h2", 5702), new Address("h3", 5672)), addresses.nodes());
        assertEquals("amqp://dp3q:pw@h1:5701/selfcal?heartbeat=10", addresses.singleHost());
        assertTrue(addresses.isCluster());
    }

    @Test
    void amqps_defaults_to_port_5671_and_ipv6_hosts_keep_their_brackets_apart() {
        BrokerAddresses addresses = BrokerAddresses.parse("amqps://[::1]:5700,[::1],rabbit/");

        assertEquals(List.of(new Address("::1", 5700), new Address("::1", 5671), new Address("rabbit", 5671)),
                addresses.nodes());
    }

    @Test
    void a_password_with_an_at_sign_does_not_become_a_host() {
        BrokerAddresses addresses = BrokerAddresses.parse("amqp://dp3q:p@ss@h1,h2:5673/");

        assertEquals(List.of(new Address("h1", 5672), new Address("h2", 5673)), addresses.nodes());
    }

    @Test
    void without_user_or_path_the_hosts_are_still_found() {
        assertEquals(List.of(new Address("h1", 1), new Address("h2", 2)), BrokerAddresses.parse("amqp://h1:1,h2:2").nodes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amqp://dp3q:secret@h1,,h2/", "amqp://dp3q:secret@h1:notaport/", "amqp://dp3q:secret@h1:70000,h2/"})
    void an_unusable_host_list_is_refused_with_the_password_masked(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrokerSettings(uri, null, null));

        assertTrue(e.getMessage().contains("dp3q:****@"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }
}
