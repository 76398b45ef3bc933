package org.dp3q.bench.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dispatch gaps: on each slot, from one subprocess's exit to the next one's start, as the stand-in itself
 * recorded them; each gap is split by the worker's own event times into the three legs it is made of.
 */
public final class GapAnalysis {
    private GapAnalysis() {
    }

    /**
     * One task as seen on its slot: the stand-in's start and end, and the times the worker stamped on the
     * task's {@code started} and outcome events (all epoch ns, one clock).
     */
    public record TaskTrace(String slot, long startNs, long endNs, long startedEventNs, long outcomeEventNs) {
    }

    /**
     * One gap and its legs in ms: exit → outcome event built (reaping, log tail); outcome event → next task's
     * {@code started} event (confirm, ack, next delivery, decode and validation); {@code started} event → the next
     * stand-in running (attempt log, spawn and exec).
     */
    public record Gap(double totalMs, double exitToOutcomeMs, double outcomeToNextStartedMs, double startedToExecMs) {
    }

    public static List<Gap> gaps(Collection<TaskTrace> traces) {
        Map<String, List<TaskTrace>> bySlot = traces.stream().collect(Collectors.groupingBy(TaskTrace::slot));
        List<Gap> gaps = new ArrayList<>();
        for (List<TaskTrace> onSlot : bySlot.values()) {
            List<TaskTrace> ordered = onSlot.stream().sorted(Comparator.comparingLong(TaskTrace::startNs)).toList();
            for (int i = 0; i + 1 < ordered.size(); i++) {
                TaskTrace done = ordered.get(i);
                TaskTrace next = ordered.get(i + 1);
                gaps.add(new Gap(ms(next.startNs() - done.endNs()), ms(done.outcomeEventNs() - done.endNs()),
                        ms(next.startedEventNs() - done.outcomeEventNs()), ms(next.startNs() - next.startedEventNs())));
            }
        }
        return gaps;
    }

    /** Runs on one slot that overlapped in time: must be zero, a slot runs one subprocess at a time. */
    public static long overlaps(Collection<TaskTrace> traces) {
        return gaps(traces).stream().filter(g -> g.totalMs() < 0).count();
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }
}
