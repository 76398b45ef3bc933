package org.dp3q.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a guardian ({@code dp3q-exec --usage}) measured of its tool once it ended, on its standard output:
 * {@code cpu_ms=N} and {@code max_rss_kb=N}, one per line. A report that is missing (the guardian killed its
 * group) or cannot be read is none: the sampled figures stand.
 */
final class UsageReport {
    private UsageReport() {
    }

    /** The figures the guardian wrote to {@code out} before it ended; read after the guardian was reaped. */
    static Optional<TreeUsage> read(InputStream out) {
        try (out) {
            return parse(new String(out.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<TreeUsage> parse(String text) {
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
}
