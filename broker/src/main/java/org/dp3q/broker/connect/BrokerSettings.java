package org.dp3q.broker.connect;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the broker is and how to log in. One source of truth: flag, then environment, then default.
 *
 * @param uri           {@code amqp://} or {@code amqps://} URI; the vhost in its path isolates installations
 * @param passwordFile  optional file holding the password, so it need not sit in the URI or the environment
 * @param brokerTimeout how long to keep trying while the broker does not answer before giving up
 */
public record BrokerSettings(String uri, Path passwordFile, Duration brokerTimeout) {
    public static final String ENV_URI = "DP3Q_BROKER";
    public static final String ENV_PASSWORD = "DP3Q_BROKER_PASSWORD";
    public static final String ENV_PASSWORD_FILE = "DP3Q_BROKER_PASSWORD_FILE";
    public static final String DEFAULT_URI = "amqp://guest:guest@localhost:5672/";
    public static final Duration DEFAULT_BROKER_TIMEOUT = Duration.ofMinutes(5);

    public BrokerSettings {
        if (uri == null || uri.isBlank()) {
            uri = DEFAULT_URI;
        }
        if (brokerTimeout == null) {
            brokerTimeout = DEFAULT_BROKER_TIMEOUT;
        }
        String scheme;
        try {
            scheme = URI.create(uri).getScheme();
        } catch (IllegalArgumentException e) {
            // the parser's message quotes the URI, password and all
            throw new IllegalArgumentException("broker URI " + masked(uri) + " is not a valid URI"
                    + " (percent-encode special characters in the password, or use --broker-password-file)");
        }
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("broker URI must start with amqp:// or amqps://: " + masked(uri));
        }
    }

    /** Flag value if given, else {@code DP3Q_BROKER}, else the local default. */
    public static BrokerSettings resolve(String uriFlag, Path passwordFileFlag, Duration brokerTimeout,
                                         Map<String, String> env) {
        String uri = uriFlag != null ? uriFlag : env.getOrDefault(ENV_URI, DEFAULT_URI);
        Path passwordFile = passwordFileFlag != null ? passwordFileFlag
                : env.containsKey(ENV_PASSWORD_FILE) ? Path.of(env.get(ENV_PASSWORD_FILE)) : null;
        return new BrokerSettings(uri, passwordFile, brokerTimeout);
    }

    public String maskedUri() {
        return masked(uri);
    }

    /** The URI with any password replaced by {@code ****}, for logs and error messages. */
    public static String masked(String uri) {
        // the password runs from the first ':' after the user to the last '@'
        return uri == null ? null : uri.replaceAll("^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:).*@", "$1****@");
    }
}
