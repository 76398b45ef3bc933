package org.dp3q.cli.dashboard.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dp3q.cli.dashboard.data.BatchSnapshot;
import org.dp3q.cli.logs.Attempt;

/**
 * The task stream of one worker slot, like Dask's: one bar per attempt of the batch from its start to its end
 * ({@code end} null while it runs), coloured by {@code outcome} ({@code running} while it runs).
 */
public record SlotLane(String worker, int slot, List<Bar> bars) {

    /** One attempt on the lane. */
    public record Bar(String taskId, Integer chunk, int attempt, String start, String end, String outcome) {
    }

    public static List<SlotLane> of(BatchSnapshot batch) {
        Map<String, List<Bar>> lanes = new TreeMap<>();
        Map<String, Integer> chunks = new java.util.HashMap<>();
        batch.tasks().forEach(task -> chunks.put(task.taskId(), task.chunk()));
        for (List<Attempt> attempts : batch.attempts().values()) {
            for (Attempt a : attempts) {
                if (a.worker() == null || a.worker().slot() == null || a.started() == null) {
                    continue;
                }
                String outcome = a.outcome() == null ? "running" : a.outcome().wire();
                lanes.computeIfAbsent(a.worker().tag() + "\u0000" + a.worker().slot(), k -> new ArrayList<>())
                        .add(new Bar(a.taskId(), chunks.get(a.taskId()), a.number(), a.started(), a.ended(), outcome));
            }
        }
        List<SlotLane> result = new ArrayList<>();
        lanes.forEach((key, bars) -> {
            bars.sort(Comparator.comparing(Bar::start));
            String[] parts = key.split("\u0000");
            result.add(new SlotLane(parts[0], Integer.parseInt(parts[1]), bars));
        });
        return result;
    }
}
