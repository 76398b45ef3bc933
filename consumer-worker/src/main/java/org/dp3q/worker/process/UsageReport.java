package org.dp3q.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a guardian ({@code dp3q-exec --usage}) reported on its standard output once its tool had ended and it had
 * killed and reaped what the tool left behind: {@code cpu_ms=N}, {@code max_rss_kb=N} and {@code leftovers=N},
 * one per line. A report that is missing (the guardian killed its group) or cannot be read is none: the sampled
 * figures stand, and the worker looks for leftovers itself.
 *
 * @param usage     CPU of the tool and every descendant, and the largest peak resident set among them
 * @param leftovers descendants still running after the guardian's last round of kills (0: none)
 */
record UsageReport(TreeUsage usage, long leftovers) {

    /** The report the guardian wrote to {@code out} before it ended; read after the guardian was reaped. */
    static Optional<UsageReport> read(InputStream out) {
        try (out) {
            return parse(new String(out.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<UsageReport> parse(String text) {
        long cpuMs = -1;
        long maxRssKb = -1;
        long leftovers = -1;
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            long value = number(line.substring(equals + 1));
            switch (line.substring(0, equals)) {
                case "cpu_ms" -> cpuMs = value;
                case "max_rss_kb" -> maxRssKb = value;
                case "leftovers" -> leftovers = value;
                default -> { }
            }
        }
        return cpuMs < 0 || maxRssKb < 0 || leftovers < 0 ? Optional.empty()
                : Optional.of(new UsageReport(new TreeUsage(cpuMs, maxRssKb), leftovers));
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
