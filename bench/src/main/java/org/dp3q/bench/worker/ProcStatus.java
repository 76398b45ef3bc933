package org.dp3q.bench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What the kernel says about a process's memory ({@code /proc/<pid>/status}), in KiB. */
public record ProcStatus(long rssKb, long hwmKb, long rssAnonKb, long rssFileKb, int threads) {
    public static ProcStatus of(long pid) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String value = line.substring(colon + 1).trim().split("\\s+")[0];
                try {
                    fields.put(line.substring(0, colon), Long.parseLong(value));
                } catch (NumberFormatException ignored) {
                    // not a number field
                }
            }
        }
        return new ProcStatus(fields.getOrDefault("VmRSS", -1L), fields.getOrDefault("VmHWM", -1L),
                fields.getOrDefault("RssAnon", -1L), fields.getOrDefault("RssFile", -1L),
                fields.getOrDefault("Threads", -1L).intValue());
    }

    public double rssMib() {
        return rssKb / 1024.0;
    }
}
