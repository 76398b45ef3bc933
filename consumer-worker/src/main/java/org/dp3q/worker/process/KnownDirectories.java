package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Directories made once, then taken as there: {@link Files#createDirectories} of a directory that exists fails a
 * mkdir and throws and catches an exception inside the JDK, a tenth of a millisecond on every task's start. A
 * directory removed meanwhile (log retention) is made again when a write into it finds it gone.
 */
final class KnownDirectories {
    /** A worker that has run this many batches forgets them all, so weeks of batches cost no memory. */
    private static final int MAX_KNOWN = 1000;

    private final Set<Path> known = ConcurrentHashMap.newKeySet();

    /** A write into a directory: the directory is made first unless known, and again if the write finds it gone. */
    interface Write {
        void into() throws IOException;
    }

    void writeInto(Path dir, Write write) throws IOException {
        if (!known.contains(dir)) {
            make(dir);
        }
        try {
            write.into();
        } catch (NoSuchFileException e) {
            known.remove(dir);
            make(dir);
            write.into();
        }
    }

    private void make(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (known.size() >= MAX_KNOWN) {
            known.clear();
        }
        known.add(dir);
    }
}
