package org.dp3q.bench.report;

import java.util.List;
import java.util.Locale;
import org.dp3q.bench.stats.Stats.Spread;

/**
 * One figure of the table: its median over the runs and the spread (min–max), against its target if it has one.
 *
 * @param decimals how many decimals the figure is shown with
 */
public record Row(String section, String figure, String config, int decimals, List<Double> samples, Target target) {
    public static Row of(String section, String figure, String config, int decimals, List<Double> samples, Target target) {
        return new Row(section, figure, config, decimals, List.copyOf(samples), target);
    }

    public Spread spread() {
        return Spread.of(samples);
    }

    public String verdict() {
        Spread s = spread();
        if (target == null) {
            return "";
        }
        if (s.runs() == 0) {
            return "n/a";
        }
        return target.metBy(s.median()) ? "met" : "MISSED";
    }

    public String median() {
        return format(spread().median());
    }

    public String range() {
        Spread s = spread();
        if (s.runs() == 0) {
            return "";
        }
        return s.runs() == 1 ? "(1 run)" : format(s.min()) + "–" + format(s.max());
    }

    public String runs() {
        return Integer.toString(spread().runs());
    }

    public String targetText() {
        return target == null ? "" : target.toString();
    }

    public String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
