package org.dp3q.broker.connect;

import java.nio.file.Path;
import java.time.Duration;
import org.dp3q.codec.DurationConverter;
import picocli.CommandLine.Option;

/** The broker options every dp3q command shares. */
public final class BrokerOptions {
    @Option(names = "--broker", paramLabel = "URI",
            description = "Broker URI, amqp:// or amqps://, with the vhost as its path "
                    + "(default: $" + BrokerSettings.ENV_URI + ", else " + BrokerSettings.DEFAULT_URI + "). "
                    + "The password may instead come from $" + BrokerSettings.ENV_PASSWORD + " or --broker-password-file.")
    String uri;

    @Option(names = "--broker-password-file", paramLabel = "FILE",
            description = "File holding the broker password (default: $" + BrokerSettings.ENV_PASSWORD_FILE + ").")
    Path passwordFile;

    @Option(names = "--broker-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m",
            description = "How long to keep trying while the broker does not answer, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
    Duration brokerTimeout;

    public BrokerSettings settings() {
        return BrokerSettings.resolve(uri, passwordFile, brokerTimeout, System.getenv());
    }
}
