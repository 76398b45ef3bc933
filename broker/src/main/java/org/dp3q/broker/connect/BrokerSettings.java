package org.dp3q.broker.connect;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the broker is and how to log in. One source of truth: flag, then environment, then default.
 *
 * @param uri           {@code amqp://} or {@code amqps://} URI; the vhost in its path isolates installations. Several
 *                      cluster nodes may share one URI as a comma-separated host list:
 *                      {@code amqp://user@h1:5672,h2:5673/vhost}; connections go to any of them and fail over
 * @param passwordFile  optional file holding the password, so it need not sit in the URI or the environment
 * @param brokerTimeout how long to keep trying while the broker does not answer before giving up
 * @param tls           CA file and client certificate for {@code amqps://}; {@link BrokerTls#NONE} for the defaults
 */
public record BrokerSettings(String uri, Path passwordFile, Duration brokerTimeout, BrokerTls tls) {
    public static final String ENV_URI = "DP3Q_BROKER";
    public static final String ENV_PASSWORD = "DP3Q_BROKER_PASSWORD";
    public static final String ENV_PASSWORD_FILE = "DP3Q_BROKER_PASSWORD_FILE";
    public static final String DEFAULT_URI = "amqp://guest:guest@localhost:5672/";
    public static final Duration DEFAULT_BROKER_TIMEOUT = Duration.ofMinutes(5);

    private static final Pattern URI_START = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern URI_TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]*");

    public BrokerSettings {
        if (uri == null || uri.isBlank()) {
            uri = DEFAULT_URI;
        }
        uri = uri.strip();
        if (brokerTimeout == null) {
            brokerTimeout = DEFAULT_BROKER_TIMEOUT;
        }
        if (tls == null) {
            tls = BrokerTls.NONE;
        }
        String scheme = scheme(uri);
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("broker URI must start with amqp:// or amqps://: " + masked(uri));
        }
        if (tls.isSet() && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("a CA file or client certificate needs an amqps:// broker URI, not "
                    + masked(uri));
        }
        BrokerAddresses.parse(uri);
    }

    public BrokerSettings(String uri, Path passwordFile, Duration brokerTimeout) {
        this(uri, passwordFile, brokerTimeout, BrokerTls.NONE);
    }

    /** Flag value if given, else {@code DP3Q_BROKER}, else the local default. */
    public static BrokerSettings resolve(String uriFlag, Path passwordFileFlag, Duration brokerTimeout,
                                         Map<String, String> env) {
        return resolve(uriFlag, passwordFileFlag, brokerTimeout, BrokerTls.NONE, env);
    }

    /** As {@link #resolve(String, Path, Duration, Map)}, with TLS files from flags, else the environment. */
    public static BrokerSettings resolve(String uriFlag, Path passwordFileFlag, Duration brokerTimeout,
                                         BrokerTls tlsFlags, Map<String, String> env) {
        String uri = uriFlag != null ? uriFlag : env.getOrDefault(ENV_URI, DEFAULT_URI);
        String fileFromEnv = env.get(ENV_PASSWORD_FILE);
        // an empty variable counts as unset, as scripts that pass "${VAR:-}" on expect
        Path passwordFile = passwordFileFlag != null ? passwordFileFlag
                : fileFromEnv != null && !fileFromEnv.isBlank() ? Path.of(fileFromEnv) : null;
        return new BrokerSettings(uri, passwordFile, brokerTimeout, BrokerTls.resolve(tlsFlags, env));
    }

    public boolean usesTls() {
        return "amqps".equals(scheme(uri));
    }

    /** The broker nodes named in the URI, in the order given. */
    public BrokerAddresses addresses() {
        return BrokerAddresses.parse(uri);
    }

    public String maskedUri() {
        return masked(uri);
    }

    /**
     * {@code text} with the password of every URI in it ({@code amqp://}, {@code amqps://}, or a mistaken
     * {@code http://}) replaced by {@code ****}, for logs and error messages; text that starts with a URI is taken as
     * one URI, spaces and all. Everything between the user name's colon and the last {@code @} of the URI counts
     * as password, so one written raw with {@code /} or {@code @} in it is masked too.
     */
    public static String masked(String text) {
        if (text == null) {
            return null;
        }
        if (URI_START.matcher(text).find()) {
            return maskOne(text);
        }
        Matcher matcher = URI_TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(maskOne(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String maskOne(String uri) {
        int start = uri.indexOf("://") + 3;
        int query = uri.indexOf('?', start);
        int at = uri.lastIndexOf('@', query < 0 ? uri.length() : query);
        if (at < start) {
            return uri;
        }
        int colon = uri.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return uri;
        }
        return uri.substring(0, colon + 1) + "****" + uri.substring(at);
    }

    private static String scheme(String uri) {
        try {
            return new URI(uri).getScheme();
        } catch (URISyntaxException e) {
            // the message of a URISyntaxException quotes the whole URI, password included: give the reason only
            throw new IllegalArgumentException("broker URI " + masked(uri) + " is not a valid URI: " + e.getReason()
                    + " at index " + e.getIndex() + " (percent-encode special characters in the password, or use "
                    + ENV_PASSWORD + " or --broker-password-file)");
        }
    }
}
