package org.dp3q.broker.connect;

import java.nio.file.Path;
import java.util.Map;

/**
 * TLS material for {@code amqps://}: the CA that signed the broker's certificate (else the JVM's trusted CAs) and,
 * for brokers that ask for one, a client certificate with its private key. All PEM files.
 *
 * @param caFile   PEM file with the CA certificate(s) to trust; null for the JVM's default trust store
 * @param certFile PEM client certificate (chain), only with {@code keyFile}
 * @param keyFile  PEM PKCS#8 private key of the client certificate (unencrypted; keep the file mode 600)
 */
public record BrokerTls(Path caFile, Path certFile, Path keyFile) {
    public static final String ENV_CA_FILE = "DP3Q_BROKER_CA_FILE";
    public static final String ENV_CERT_FILE = "DP3Q_BROKER_CERT_FILE";
    public static final String ENV_KEY_FILE = "DP3Q_BROKER_KEY_FILE";
    public static final BrokerTls NONE = new BrokerTls(null, null, null);

    public BrokerTls {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs both --broker-cert-file and --broker-key-file");
        }
    }

    /** Each file from its flag, else its environment variable. */
    public static BrokerTls resolve(BrokerTls flags, Map<String, String> env) {
        BrokerTls given = flags == null ? NONE : flags;
        return new BrokerTls(pick(given.caFile(), env, ENV_CA_FILE), pick(given.certFile(), env, ENV_CERT_FILE),
                pick(given.keyFile(), env, ENV_KEY_FILE));
    }

    public boolean isSet() {
        return caFile != null || certFile != null;
    }

    public boolean hasClientCertificate() {
        return certFile != null;
    }

    private static Path pick(Path flag, Map<String, String> env, String name) {
        if (flag != null) {
            return flag;
        }
        String value = env.get(name);
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
