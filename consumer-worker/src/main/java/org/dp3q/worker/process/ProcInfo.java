package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Linux's {@code /proc} tells about a process: its group and its start time in clock ticks since boot.
 * A pid and its start time together name one process for good; a pid alone may have been reused.
 */
public record ProcInfo(long pid, long pgid, long startTicks) {
    private static final Path PROC = Path.of("/proc");

    public static Optional<ProcInfo> of(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new ProcInfo(pid, Long.parseLong(fields[2]), Long.parseLong(fields[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True while the process that had this pid and start time still runs. */
    public static boolean isRunning(long pid, long startTicks) {
        return of(pid).map(info -> info.startTicks() == startTicks).orElse(false);
    }

    /** Every process of a group, as far as this user may see. */
    public static List<ProcInfo> inGroup(long pgid) {
        List<ProcInfo> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                of(Long.parseLong(entry.getFileName().toString()))
                        .filter(info -> info.pgid() == pgid)
                        .ifPresent(members::add);
            }
        } catch (IOException | RuntimeException e) {
            return members;
        }
        return members;
    }

    /** True when the process's environment holds {@code entry} ({@code NAME=value}); false when unreadable. */
    public boolean environmentContains(String entry) {
        try {
            byte[] environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (variable.equals(entry)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
