package org.dp3q.bench;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dispatch run: W workers × S slots each, chunk durations fixed or uniform in [min, max] ms, and the makespan
 * target. Written {@code WxS@MIN-MAX:TARGET} or {@code WxS@MS:TARGET}, e.g. {@code 4x1@50-500:1.01}.
 */
public record Scenario(int workers, int slotsPerWorker, int minMs, int maxMs, double makespanTarget) {
    private static final Pattern SPEC = Pattern.compile("(\\d+)x(\\d+)@(\\d+)(?:-(\\d+))?(?::([0-9.]+))?");

    public static Scenario parse(String spec) {
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("scenario must look like 4x1@50-500:1.01 or 1x8@200:1.02, got " + spec);
        }
        int min = Integer.parseInt(m.group(3));
        int max = m.group(4) == null ? min : Integer.parseInt(m.group(4));
        if (max < min) {
            throw new IllegalArgumentException("scenario " + spec + ": the longest chunk is shorter than the shortest");
        }
        Scenario s = new Scenario(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), min, max,
                m.group(5) == null ? 1.01 : Double.parseDouble(m.group(5)));
        if (s.workers < 1 || s.slotsPerWorker < 1) {
            throw new IllegalArgumentException("scenario " + spec + ": needs at least one worker and one slot");
        }
        return s;
    }

    public int slots() {
        return workers * slotsPerWorker;
    }

    public String id() {
        return workers + "x" + slotsPerWorker + "@" + minMs + (maxMs != minMs ? "-" + maxMs : "");
    }

    public String label() {
        String durations = minMs == maxMs ? minMs + " ms" : minMs + "–" + maxMs + " ms";
        return workers + (workers == 1 ? " worker" : " workers") + " × " + slotsPerWorker
                + (slotsPerWorker == 1 ? " slot" : " slots") + ", " + durations;
    }

    /** Chunk durations in seconds, the same for the same seed. */
    public double[] durations(int chunks, long seed) {
        Random random = new Random(seed);
        double[] d = new double[chunks];
        for (int i = 0; i < chunks; i++) {
            d[i] = (minMs + (maxMs - minMs) * random.nextDouble()) / 1000.0;
        }
        return d;
    }

    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
