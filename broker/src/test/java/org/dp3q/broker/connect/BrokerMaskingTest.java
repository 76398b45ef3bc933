package org.dp3q.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Passwords never reach a log line or an error message, whatever the URI looks like. */
class BrokerMaskingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "amqp://dp3q:pw@h1:5701,h2:5702/lab | amqp://dp3q:****@h1:5701,h2:5702/lab",
        "amqps://dp3q:p@ss/w0rd@rabbit/lab | amqps://dp3q:****@rabbit/lab",
        "amqp://dp3q:my pw@rabbit/ | amqp://dp3q:****@rabbit/",
        "amqp://dp3q@rabbit/?x=a@b | amqp://dp3q@rabbit/?x=a@b",
    })
    void every_password_shape_is_masked(String uri, String masked) {
        assertEquals(masked, BrokerSettings.masked(uri));
    }

    @Test
    void uris_inside_a_message_are_masked_and_the_rest_is_kept() {
        assertEquals("broker amqp://u:****@h1,h2/v is unreachable: connection refused (amqps://a:****@b/)",
                BrokerSettings.masked("broker amqp://u:hunter2@h1,h2/v is unreachable: connection refused (amqps://a:xyz@b/)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"amqp://dp3q:pa^ss@rabbit/", "amqp://dp3q:100%pw@rabbit/", "amqp://dp3q:my pw@rabbit/"})
    void a_uri_the_jdk_cannot_parse_is_refused_without_its_password(String uri) {
        String secret = uri.substring(uri.indexOf(':', 7) + 1, uri.indexOf('@'));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrokerSettings(uri, null, null));

        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void an_unreachable_cluster_is_reported_with_the_password_masked() {
        BrokerSettings settings = new BrokerSettings("amqp://dp3q:hunter2@127.0.0.1:1,127.0.0.1:2/lab", null, null);

        BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class,
                () -> new BrokerConnector(settings, Map.of()).connectOnce("test"));

        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(true, e.getMessage().startsWith("broker amqp://dp3q:****@127.0.0.1:1,127.0.0.1:2/lab is unreachable"),
                e.getMessage());
    }
}
