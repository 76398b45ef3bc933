package org.dp3q.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launchers' class-data sharing (see {@code bin/class-archive.sh}): a run that trains a class archive writes
 * it at exit, and the launchers adopt it only from a run that did its work. A run that stopped at a usage error
 * loaded a fraction of the classes, and an archive of those would slow every later start.
 */
public final class ClassArchive {
    /** The archive this JVM writes at exit, set by the launcher on a training run. */
    public static final String TRAINING_PROPERTY = "dp3q.class-archive";

    private ClassArchive() {
    }

    /** True when this run writes a class archive at exit (the launcher's first run after a build). */
    public static boolean training() {
        return System.getProperty(TRAINING_PROPERTY) != null;
    }

    /** Marks this run's archive as worth adopting when the command ended with {@code exitCode} 0. */
    public static void ended(int exitCode) {
        String archive = System.getProperty(TRAINING_PROPERTY);
        if (archive == null || exitCode != 0) {
            return;
        }
        try {
            Files.writeString(Path.of(archive + ".ok"), "");
        } catch (IOException | RuntimeException e) {
            // no archive then: the next run trains again
        }
    }
}
