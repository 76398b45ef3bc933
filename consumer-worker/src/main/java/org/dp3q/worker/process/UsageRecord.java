package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a guardian ({@code dp3q-exec --usage}) measured of its tool once it ended: {@code cpu_ms=N} and
 * {@code max_rss_kb=N}, one per line. A record that cannot be read is none: the sampled figures stand.
 */
final class UsageRecord {
    private UsageRecord() {
    }

    /** The figures at {@code file}, removed once read; empty when there are none or they cannot be read. */
    static Optional<TreeUsage> take(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            forget(file);
            return Optional.empty();
        }
        forget(file);
        long cpuMs = -1;
        long maxRssKb = -1;
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            long value = number(line.substring(equals + 1));
            switch (line.substring(0, equals)) {
                case "cpu_ms" -> cpuMs = value;
                case "max_rss_kb" -> maxRssKb = value;
                default -> { }
            }
        }
        return cpuMs < 0 || maxRssKb < 0 ? Optional.empty() : Optional.of(new TreeUsage(cpuMs, maxRssKb));
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void forget(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale record is read by no one: run ids are never reused
        }
    }
}
