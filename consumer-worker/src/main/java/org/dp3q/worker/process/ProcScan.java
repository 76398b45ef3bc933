package org.dp3q.worker.process;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads process stats from {@code /proc}: every process, one process, or one process's children. Each file is
 * read into a buffer of the calling thread and parsed in place, with no string per line: a look at every
 * process is the worker's most frequent system work.
 */
final class ProcScan {
    private static final File PROC = new File("/proc");
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[4096]);

    private ProcScan() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    static List<ProcStat> all() throws IOException {
        String[] names = PROC.list();
        if (names == null) {
            throw new IOException("cannot list /proc");
        }
        List<ProcStat> stats = new ArrayList<>(names.length);
        for (String name : names) {
            if (isNumber(name)) {
                ProcStat stat = read("/proc/" + name + "/stat");
                if (stat != null) {
                    stats.add(stat);
                }
            }
        }
        return stats;
    }

    /** The stat of {@code pid}, or null once it is gone. */
    static ProcStat of(long pid) {
        return read("/proc/" + pid + "/stat");
    }

    /**
     * The children of {@code pid}'s main thread (children forked by its other threads are not listed: a full
     * scan finds those); empty once it is gone or where the kernel does not list children.
     */
    static long[] children(long pid) {
        byte[] buffer = BUFFER.get();
        int length = readInto("/proc/" + pid + "/task/" + pid + "/children", buffer);
        long[] pids = new long[Math.max(0, length / 2)];
        int count = 0;
        long value = -1;
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (b >= '0' && b <= '9') {
                value = (value < 0 ? 0 : value * 10) + (b - '0');
            } else if (value >= 0) {
                pids[count++] = value;
                value = -1;
            }
        }
        if (value >= 0) {
            pids[count++] = value;
        }
        return java.util.Arrays.copyOf(pids, count);
    }

    private static ProcStat read(String path) {
        byte[] buffer = BUFFER.get();
        int length = readInto(path, buffer);
        try {
            return length <= 0 ? null : ProcStat.parse(buffer, length);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Bytes read, or -1 when the file is gone (the process ended) or unreadable. */
    private static int readInto(String path, byte[] buffer) {
        try (FileInputStream in = new FileInputStream(path)) {
            int length = 0;
            int got;
            while (length < buffer.length && (got = in.read(buffer, length, buffer.length - length)) > 0) {
                length += got;
            }
            return length;
        } catch (IOException e) {
            return -1;
        }
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
