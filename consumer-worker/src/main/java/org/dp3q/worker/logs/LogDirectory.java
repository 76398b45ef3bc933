package org.dp3q.worker.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The worker's {@code --log-dir} as the HTTP side sees it: a request names a file by its path relative to the
 * directory, and only regular files really inside it are handed out. An absolute path, a {@code ..} or
 * {@code .} segment, a hidden segment (the worker's own {@code .dp3q} state) or a symbolic link that leads
 * outside the directory finds nothing.
 */
public final class LogDirectory {
    private final Path root;

    public LogDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file {@code relative} names, or empty when it is not a log file inside the directory. */
    public Optional<Path> resolve(String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\0') >= 0
                || relative.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return Optional.empty();
            }
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            return Optional.empty();
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
