package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.LocalCluster;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * amqps:// end to end against a private RabbitMQ node whose TLS listener uses a CA made by the test and requires
 * a client certificate: producer and worker verify the broker with the CA file and present their certificate.
 */
class TlsIT extends RealBrokerTest {
    private static TestCa ca;
    private static LocalCluster node;
    private static String uri;

    @BeforeAll
    static void startTlsNode() throws Exception {
        ca = TestCa.create(workDir.resolve("ca"));
        node = LocalCluster.start(1, ca.dir(), true);
        uri = "amqps://guest:guest@localhost:" + node.tlsPort(1) + "/";
    }

    @AfterAll
    static void stopTlsNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void a_batch_runs_over_amqps_verified_with_the_test_ca_and_a_client_certificate() throws Exception {
        startWorkerOn(uri, Map.of(), "tls", 2, "--broker-ca-file", ca.caFile().toString(),
                "--broker-cert-file", ca.clientCert().toString(), "--broker-key-file", ca.clientKey().toString());
        Cli cli = cliOn(uri, Map.of("DP3Q_BROKER_CA_FILE", ca.caFile().toString(),
                "DP3Q_BROKER_CERT_FILE", ca.clientCert().toString(), "DP3Q_BROKER_KEY_FILE", ca.clientKey().toString()));

        Cli.Result submit = cli.run("submit", "--batch", "tls", "--chunks", "6", "--ntimes", "10",
                "--arg", "chunk={chunk}", "--arg", "standin.sleep=0.1");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Cli.Result wait = cli.run("wait", "--batch", "tls", "--progress", "none");

        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(record().runsPer("chunk")).hasSize(6).allSatisfy((chunk, runs) -> assertThat(runs).isEqualTo(1));
    }

    @Test
    void the_broker_is_refused_without_the_ca_and_the_client_without_its_certificate() throws Exception {
        String ca = TlsIT.ca.caFile().toString();
        String cert = TlsIT.ca.clientCert().toString();
        String key = TlsIT.ca.clientKey().toString();
        Cli cli = cliOn(uri, Map.of());

        Cli.Result trusted = cli.run("topology", "--broker-timeout", "3s", "--broker-ca-file", ca, "--broker-cert-file", cert,
                "--broker-key-file", key);
        Cli.Result noCa = cli.run("topology", "--broker-timeout", "3s", "--broker-cert-file", cert, "--broker-key-file", key);
        Cli.Result noCert = cli.run("topology", "--broker-timeout", "3s", "--broker-ca-file", ca);
        Cli.Result plainUri = cliOn(uri.replace("amqps://", "amqp://"), Map.of()).run("topology", "--broker-ca-file", ca);

        assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
        assertThat(noCa.exitCode()).as(noCa.toString()).isEqualTo(3);
        assertThat(noCa.stderr()).as("the JVM's CAs do not know the test CA").containsIgnoringCase("certification path");
        assertThat(noCert.exitCode()).as(noCert.toString()).isEqualTo(3);
        assertThat(plainUri.exitCode()).as(plainUri.toString()).isEqualTo(2);
        assertThat(plainUri.stderr()).contains("amqps://");
    }
}
