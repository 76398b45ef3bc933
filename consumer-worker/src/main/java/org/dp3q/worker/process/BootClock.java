package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's {@code CLOCK_BOOTTIME} in milliseconds, the clock a guardian measures leases with: it counts
 * through a suspend, so a lease that ran out while the machine slept is over when it wakes. Java has no call
 * for it; {@code /proc/uptime} is that clock, to 10 ms, rounded down: a time taken before an act is then never
 * later than the act.
 */
public final class BootClock {
    private static final Path UPTIME = Path.of("/proc/uptime");

    private BootClock() {
    }

    /** True when this machine has the clock (Linux). */
    public static boolean available() {
        try {
            nowMs();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public static long nowMs() {
        try {
            String text = Files.readString(UPTIME, StandardCharsets.US_ASCII);
            int space = text.indexOf(' ');
            String seconds = space < 0 ? text.strip() : text.substring(0, space);
            int dot = seconds.indexOf('.');
            if (dot < 0) {
                return Long.parseLong(seconds) * 1000;
            }
            String fraction = (seconds.substring(dot + 1) + "000").substring(0, 3);
            return Long.parseLong(seconds.substring(0, dot)) * 1000 + Long.parseLong(fraction);
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("cannot read the boot clock from " + UPTIME + ": " + e, e);
        }
    }
}
