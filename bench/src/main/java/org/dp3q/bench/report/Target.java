package org.dp3q.bench.report;

import java.util.Locale;

/** A figure's target from the issue: at most or at least a value. */
public record Target(boolean atMost, double value) {
    public static Target atMost(double value) {
        return new Target(true, value);
    }

    public static Target atLeast(double value) {
        return new Target(false, value);
    }

    public boolean metBy(double measured) {
        return atMost ? measured <= value : measured >= value;
    }

    @Override
    public String toString() {
        String v = value == Math.rint(value) && Math.abs(value) >= 10 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%s", value);
        return (atMost ? "≤ " : "≥ ") + v;
    }
}
