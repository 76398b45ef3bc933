package org.dp3q.broker.connect;

import java.nio.file.Path;
import java.time.Duration;
import org.dp3q.codec.DurationConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The broker options every dp3q command shares. */
public final class BrokerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URI",
            description = "Broker URI, amqp:// or amqps://, with the vhost as its path "
                    + "(default: $" + BrokerSettings.ENV_URI + ", else " + BrokerSettings.DEFAULT_URI + "). "
                    + "Nodes of a cluster as a comma-separated host list: amqp://user@h1:5672,h2:5672/vhost. "
                    + "The password may instead come from $" + BrokerSettings.ENV_PASSWORD + " or --broker-password-file.")
    String uri;

    @Option(names = "--broker-password-file", paramLabel = "FILE",
            description = "File holding the broker password (default: $" + BrokerSettings.ENV_PASSWORD_FILE + ").")
    Path passwordFile;

    @Option(names = "--broker-ca-file", paramLabel = "FILE",
            description = "amqps:// only: PEM file with the CA certificate(s) that signed the broker's certificate "
                    + "(default: $" + BrokerTls.ENV_CA_FILE + ", else the JVM's trusted CAs).")
    Path caFile;

    @Option(names = "--broker-cert-file", paramLabel = "FILE",
            description = "amqps:// only: PEM client certificate, for brokers that require one "
                    + "(default: $" + BrokerTls.ENV_CERT_FILE + "); needs --broker-key-file.")
    Path certFile;

    @Option(names = "--broker-key-file", paramLabel = "FILE",
            description = "Unencrypted PKCS#8 PEM private key of --broker-cert-file (default: $" + BrokerTls.ENV_KEY_FILE + ").")
    Path keyFile;

    @Option(names = "--broker-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m",
            description = "How long to keep trying while the broker does not answer, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
    Duration brokerTimeout;

    /**
     * The settings from flags, environment and defaults, checked before any connection: an unusable URI, password
     * file or TLS file is a usage error (exit 2) whose message names it, password masked.
     */
    public BrokerSettings settings() {
        try {
            BrokerSettings settings = BrokerSettings.resolve(uri, passwordFile, brokerTimeout,
                    new BrokerTls(caFile, certFile, keyFile), System.getenv());
            new BrokerConnector(settings);
            return settings;
        } catch (IllegalArgumentException e) {
            if (spec == null) {
                throw e;
            }
            throw new ParameterException(spec.commandLine(), BrokerSettings.masked(e.getMessage()));
        }
    }
}
