package org.dp3q.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "amqp://guest:guest@localhost:5672/, amqp://guest:****@localhost:5672/",
        "amqps://dp3q:s3cr%40t@rabbit.example.org:5671/dp3q-test, amqps://dp3q:****@rabbit.example.org:5671/dp3q-test",
        "amqp://user:@host/, amqp://user:****@host/",
    })
    void the_password_in_a_uri_is_masked(String uri, String masked) {
        assertEquals(masked, BrokerSettings.masked(uri));
        assertEquals(masked, new BrokerSettings(uri, null, null).maskedUri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amqp://localhost:5672/", "amqp://user@localhost/vh", "amqps://rabbit.example.org/"})
    void a_uri_without_a_password_is_shown_as_it_is(String uri) {
        assertEquals(uri, BrokerSettings.masked(uri));
    }

    @Test
    void masking_nothing_gives_nothing() {
        assertNull(BrokerSettings.masked(null));
    }

    @Test
    void defaults_apply_when_nothing_is_given() {
        BrokerSettings settings = new BrokerSettings(" ", null, null);

        assertEquals(BrokerSettings.DEFAULT_URI, settings.uri());
        assertEquals(Duration.ofMinutes(5), settings.brokerTimeout());
        assertNull(settings.passwordFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user:hunter2@localhost:15672/", "localhost:5672", "amqpx://host/"})
    void only_amqp_and_amqps_are_accepted_and_the_password_stays_hidden(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrokerSettings(uri, null, null));

        assertTrue(e.getMessage().contains("amqp:// or amqps://"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void the_flag_wins_over_the_environment() {
        BrokerSettings settings = BrokerSettings.resolve("amqp://flag/", Path.of("/flag/pw"), Duration.ofSeconds(30),
                Map.of(BrokerSettings.ENV_URI, "amqp://env/", BrokerSettings.ENV_PASSWORD_FILE, "/env/pw"));

        assertEquals("amqp://flag/", settings.uri());
        assertEquals(Path.of("/flag/pw"), settings.passwordFile());
        assertEquals(Duration.ofSeconds(30), settings.brokerTimeout());
    }

    @Test
    void the_environment_wins_over_the_default() {
        BrokerSettings settings = BrokerSettings.resolve(null, null, null,
                Map.of(BrokerSettings.ENV_URI, "amqps://env.example.org/vh", BrokerSettings.ENV_PASSWORD_FILE, "/env/pw"));

        assertEquals("amqps://env.example.org/vh", settings.uri());
        assertEquals(Path.of("/env/pw"), settings.passwordFile());
    }

    @Test
    void with_nothing_set_the_local_default_is_used() {
        BrokerSettings settings = BrokerSettings.resolve(null, null, null, Map.of());

        assertEquals(BrokerSettings.DEFAULT_URI, settings.uri());
        assertNull(settings.passwordFile());
    }

    @Test
    void an_http_uri_from_the_environment_is_rejected_too() {
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.resolve(null, null, null,
                Map.of(BrokerSettings.ENV_URI, "http://localhost:15672/")));
    }
}
