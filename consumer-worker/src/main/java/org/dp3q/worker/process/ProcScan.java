package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the stat of every process in {@code /proc}. */
final class ProcScan {
    private static final Path PROC = Path.of("/proc");

    private ProcScan() {
    }

    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    static List<ProcStat> all() throws IOException {
        List<ProcStat> stats = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path entry : entries) {
                try {
                    stats.add(ProcStat.parse(Files.readString(entry.resolve("stat"))));
                } catch (IOException | RuntimeException e) {
                    // the process ended between listing and reading
                }
            }
        }
        return stats;
    }

    private static boolean isNumber(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }
}
