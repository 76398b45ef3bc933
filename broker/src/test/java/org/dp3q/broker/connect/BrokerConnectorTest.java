package org.dp3q.broker.connect;

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
}
