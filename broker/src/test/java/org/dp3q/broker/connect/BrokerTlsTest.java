package org.dp3q.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTlsTest {

    @Test
    void tls_files_come_from_flags_else_from_the_environment() {
        Map<String, String> env = Map.of(BrokerTls.ENV_CA_FILE, "/env/ca.pem", BrokerTls.ENV_CERT_FILE, "/env/cert.pem",
                BrokerTls.ENV_KEY_FILE, "/env/key.pem");

        BrokerTls tls = BrokerTls.resolve(new BrokerTls(Path.of("/flag/ca.pem"), null, null), env);

        assertEquals(new BrokerTls(Path.of("/flag/ca.pem"), Path.of("/env/cert.pem"), Path.of("/env/key.pem")), tls);
        assertTrue(tls.hasClientCertificate());
    }

    @Test
    void a_client_certificate_without_its_key_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BrokerTls(null, Path.of("cert.pem"), null));

        assertTrue(e.getMessage().contains("--broker-key-file"), e.getMessage());
    }

    @Test
    void tls_files_need_an_amqps_uri() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerSettings.resolve(
                "amqp://dp3q:secret@rabbit/", null, null, new BrokerTls(Path.of("ca.pem"), null, null), Map.of()));

        assertTrue(e.getMessage().contains("amqps://"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void without_tls_files_amqps_uses_the_jvm_trusted_cas() {
        BrokerSettings settings = BrokerSettings.resolve("amqps://rabbit/", null, null, Map.of());

        assertTrue(settings.usesTls());
        assertFalse(settings.tls().isSet());
        new BrokerConnector(settings, Map.of());
    }

    @Test
    void a_ca_file_that_is_no_certificate_is_named(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        BrokerSettings settings = new BrokerSettings("amqps://rabbit/", null, null, new BrokerTls(ca, null, null));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrokerConnector(settings, Map.of()));

        assertTrue(e.getMessage().contains("--broker-ca-file " + ca), e.getMessage());
    }

    @Test
    void a_missing_ca_file_is_named(@TempDir Path dir) {
        Path ca = dir.resolve("missing.pem");
        BrokerSettings settings = new BrokerSettings("amqps://rabbit/", null, null, new BrokerTls(ca, null, null));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BrokerConnector(settings, Map.of()));

        assertTrue(e.getMessage().contains("--broker-ca-file " + ca), e.getMessage());
    }

    @Test
    void a_pkcs1_key_is_refused_with_the_command_that_converts_it(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsContexts.privateKey(key));

        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    @Test
    void empty_file_variables_count_as_unset() {
        BrokerSettings settings = BrokerSettings.resolve(null, null, null, BrokerTls.NONE, Map.of(
                BrokerSettings.ENV_PASSWORD_FILE, "", BrokerTls.ENV_CA_FILE, " ", BrokerTls.ENV_CERT_FILE, ""));

        assertEquals(null, settings.passwordFile());
        assertEquals(BrokerTls.NONE, settings.tls());
    }
}
