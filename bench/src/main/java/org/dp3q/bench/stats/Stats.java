package org.dp3q.bench.stats;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of one run's samples, and the median and spread of a figure over repeated runs. */
public final class Stats {
    private Stats() {
    }

    /**
     * Nearest-rank percentile: the smallest sample with at least {@code p} % of the samples at or below it
     * (so p100 is the maximum and p50 of an even count is the lower middle). NaN when there are no samples.
     */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public static double max(double[] samples) {
        return Arrays.stream(samples).max().orElse(Double.NaN);
    }

    /** A figure measured once per run: the median over the runs (mean of the middle two for an even count), min and max. */
    public record Spread(double median, double min, double max, int runs) {
        public static Spread of(Collection<Double> values) {
            double[] v = values.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            int mid = v.length / 2;
            double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
            return new Spread(median, v[0], v[v.length - 1], v.length);
        }
    }
}
