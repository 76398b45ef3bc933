package org.dp3q.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the packaged jars and the DP3 stand-in are (set by the failsafe configuration). */
public final class Jars {
    private Jars() {
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String worker() {
        return existing("dp3q.jar.worker");
    }

    public static String producer() {
        return existing("dp3q.jar.producer");
    }

    public static String standin() {
        return existing("dp3q.standin");
    }

    private static String existing(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " must name an existing file (got " + value
                    + "); run the integration tests with 'mvn verify' so the jars are packaged first");
        }
        return Path.of(value).toAbsolutePath().normalize().toString();
    }
}
