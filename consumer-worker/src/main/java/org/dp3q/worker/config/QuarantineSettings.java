package org.dp3q.worker.config;

import java.time.Duration;

/**
 * When a worker takes itself out: {@code after} attempts in a row that failed faster than {@code failedFast} (or
 * one whose tool could not start); out for {@code lasting}, or for good with {@code exit}.
 */
public record QuarantineSettings(int after, Duration failedFast, Duration lasting, boolean exit) {
    public static final QuarantineSettings DEFAULT = new QuarantineSettings(3, Duration.ofSeconds(10), Duration.ofMinutes(10), false);

    public QuarantineSettings {
        if (after < 0 || failedFast.isNegative() || lasting.isNegative()) {
            throw new IllegalArgumentException("--quarantine-after, --failed-fast and --quarantine-for must not be negative");
        }
    }
}
