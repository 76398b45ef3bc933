package org.dp3q.cli.allocate;

import java.util.regex.Pattern;

/** An allocation's name: its jobs' SLURM job name; by default {@code dp3q-<pool>}. */
final class AllocationName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private AllocationName() {
    }

    static String of(String name, String pool) {
        String chosen = name != null ? name : "dp3q-" + pool;
        if (!VALID.matcher(chosen).matches()) {
            throw new IllegalArgumentException("--name must match " + VALID + ": " + chosen);
        }
        return chosen;
    }
}
