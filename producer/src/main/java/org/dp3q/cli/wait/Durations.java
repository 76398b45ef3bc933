package org.dp3q.cli.wait;

import java.time.Duration;

/** Durations for people: {@code 42s}, {@code 3m05s}, {@code 2h14m}. */
public final class Durations {
    private Durations() {
    }

    public static String human(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
