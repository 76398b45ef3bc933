package org.dp3q.worker.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks the log of an attempt whose task is now held failed, waiting for a replay: {@link LogRetention} keeps
 * it past {@code --log-retention} until a later attempt of the task is logged beside it, or until it expires.
 * The mark is an empty file {@code <log>.held} next to the log.
 */
public final class HeldLogs {
    static final String SUFFIX = ".held";
    private static final Logger LOG = LoggerFactory.getLogger(HeldLogs.class);

    private HeldLogs() {
    }

    public static void hold(Path log) {
        try {
            Files.createFile(marker(log));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // held already
        } catch (IOException e) {
            LOG.warn("cannot mark {} as the log of a failed task; --log-retention may remove it early: {}", log, e.toString());
        }
    }

    static Path marker(Path log) {
        return log.resolveSibling(log.getFileName() + SUFFIX);
    }
}
