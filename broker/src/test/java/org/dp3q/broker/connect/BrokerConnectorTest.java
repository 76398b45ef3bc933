package org.dp3q.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConnectorTest {

    @Test
    void an_unreadable_password_file_is_named(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-password");
        BrokerSettings settings = new BrokerSettings("amqp://dp3q@localhost/", missing, null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BrokerConnector(settings, Map.of()));

        assertTrue(e.getMessage().contains("password file " + missing), e.getMessage());
    }

    /** On the real broker (whose own limit, 60 s by default, is above both). */
    @Test
    void the_heartbeat_is_15_s_unless_the_uri_asks_for_another() throws Exception {
        try (var plain = new BrokerConnector(new BrokerSettings("amqp://guest:guest@127.0.0.1:5672/", null, null), Map.of())
                .connectOnce("heartbeat-test");
             var short_ = new BrokerConnector(new BrokerSettings("amqp://guest:guest@127.0.0.1:5672/?heartbeat=3", null, null),
                     Map.of()).connectOnce("heartbeat-test")) {
            assertEquals(BrokerConnector.DEFAULT_HEARTBEAT_SECONDS, plain.getHeartbeat());
            assertEquals(3, short_.getHeartbeat());
        }
    }
}
