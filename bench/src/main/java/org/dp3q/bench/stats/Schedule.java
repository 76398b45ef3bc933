package org.dp3q.bench.stats;

import java.util.Arrays;
import java.util.PriorityQueue;

/** What a batch could take at best on a number of slots, with no dispatch overhead at all. */
public final class Schedule {
    private Schedule() {
    }

    /** max(sum of durations / slots, longest duration): no schedule on {@code slots} slots can finish sooner. */
    public static double lowerBound(double[] durations, int slots) {
        requireSlots(slots);
        double sum = Arrays.stream(durations).sum();
        return Math.max(sum / slots, Arrays.stream(durations).max().orElse(0));
    }

    /**
     * The makespan of the queue's own order with zero overhead: each task, in queue order, goes to the slot
     * that becomes free first. Even a perfect dispatcher ends above the lower bound by this much, because the
     * last tasks do not end together.
     */
    public static double fifoMakespan(double[] durationsInQueueOrder, int slots) {
        requireSlots(slots);
        PriorityQueue<Double> freeAt = new PriorityQueue<>();
        for (int i = 0; i < slots; i++) {
            freeAt.add(0.0);
        }
        double makespan = 0;
        for (double duration : durationsInQueueOrder) {
            double end = freeAt.poll() + duration;
            makespan = Math.max(makespan, end);
            freeAt.add(end);
        }
        return makespan;
    }

    private static void requireSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1: " + slots);
        }
    }
}
