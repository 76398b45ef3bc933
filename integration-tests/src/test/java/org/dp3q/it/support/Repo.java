package org.dp3q.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this repository the tests run as a user would (scripts, examples, compose file). */
public final class Repo {
    private Repo() {
    }

    public static Path path(String relative) {
        String root = System.getProperty("dp3q.repo");
        if (root == null) {
            throw new IllegalStateException("system property dp3q.repo is not set; run the tests with 'mvn verify'");
        }
        Path path = Path.of(root).resolve(relative).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist");
        }
        return path;
    }
}
