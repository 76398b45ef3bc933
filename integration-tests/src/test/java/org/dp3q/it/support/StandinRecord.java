package org.dp3q.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the DP3 stand-in wrote about its own runs: argv, start and end in ns, its pid and its worker's pid. */
public final class StandinRecord {
    /** One stand-in run; {@code endNs} is -1 when it never finished (killed). */
    public record Run(long pid, long workerPid, long startNs, long endNs, int exitCode, List<String> args) {
        public Optional<String> arg(String key) {
            return args.stream().filter(a -> a.startsWith(key + "=")).map(a -> a.substring(key.length() + 1)).findFirst();
        }

        public boolean finished() {
            return endNs >= 0;
        }

        /** Ended by itself with exit code 0. */
        public boolean succeeded() {
            return finished() && exitCode == 0;
        }
    }

    private final List<Run> runs;

    private StandinRecord(List<Run> runs) {
        this.runs = runs;
    }

    public static StandinRecord read(Path file) {
        if (!Files.exists(file)) {
            return new StandinRecord(List.of());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // pids are reused on a busy machine: an end line belongs to the latest start of its pid still open
        List<String[]> starts = new ArrayList<>();
        List<String[]> ends = new ArrayList<>();
        Map<Long, Integer> open = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("start") && f.length >= 4) {
                open.put(Long.parseLong(f[2]), starts.size());
                starts.add(f);
                ends.add(null);
            } else if (f[0].equals("end") && f.length >= 4) {
                Integer index = open.remove(Long.parseLong(f[2]));
                if (index != null) {
                    ends.set(index, f);
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            String[] s = starts.get(i);
            String[] e = ends.get(i);
            runs.add(new Run(Long.parseLong(s[2]), Long.parseLong(s[3]), Long.parseLong(s[1]),
                    e == null ? -1 : Long.parseLong(e[1]), e == null ? -1 : Integer.parseInt(e[3]),
                    List.of(Arrays.copyOfRange(s, 4, s.length))));
        }
        return new StandinRecord(runs);
    }

    public List<Run> runs() {
        return runs;
    }

    /** How many runs there were per value of {@code key=...} in their args (e.g. per chunk); runs without it are left out. */
    public Map<String, Long> runsPer(String key) {
        return runs.stream().filter(r -> r.arg(key).isPresent())
                .collect(Collectors.groupingBy(r -> r.arg(key).orElseThrow(), Collectors.counting()));
    }

    /** The most stand-ins running at any instant, overall. */
    public int maxConcurrent() {
        return maxConcurrent(runs);
    }

    /** The most stand-ins running at any instant under any one worker process. */
    public int maxConcurrentPerWorker() {
        return runs.stream().collect(Collectors.groupingBy(Run::workerPid)).values().stream()
                .mapToInt(StandinRecord::maxConcurrent).max().orElse(0);
    }

    /** Pairs of runs of the same {@code key} value whose lifetimes overlapped (a chunk run twice at once). */
    public long overlapsPer(String key) {
        return overlapsPer(key, run -> Long.MAX_VALUE);
    }

    /**
     * Like {@link #overlapsPer(String)}, with {@code killedBy} telling when a run without an end line was
     * killed (ns since the epoch; {@code Long.MAX_VALUE} when unknown, so it overlaps anything after it).
     */
    public long overlapsPer(String key, java.util.function.ToLongFunction<Run> killedBy) {
        long overlaps = 0;
        Map<String, List<Run>> byKey = runs.stream().collect(Collectors.groupingBy(r -> r.arg(key).orElse("?")));
        for (List<Run> same : byKey.values()) {
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    if (overlap(same.get(i), same.get(j), killedBy)) {
                        overlaps++;
                    }
                }
            }
        }
        return overlaps;
    }

    private static boolean overlap(Run a, Run b, java.util.function.ToLongFunction<Run> killedBy) {
        long aEnd = a.finished() ? a.endNs() : killedBy.applyAsLong(a);
        long bEnd = b.finished() ? b.endNs() : killedBy.applyAsLong(b);
        return a.startNs() < bEnd && b.startNs() < aEnd;
    }

    private static int maxConcurrent(List<Run> runs) {
        record Edge(long at, int delta) {
        }
        List<Edge> edges = new ArrayList<>();
        for (Run r : runs) {
            edges.add(new Edge(r.startNs(), 1));
            edges.add(new Edge(r.finished() ? r.endNs() : Long.MAX_VALUE, -1));
        }
        // an end and a start at the same instant do not overlap
        edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
        int current = 0;
        int max = 0;
        for (Edge e : edges) {
            current += e.delta();
            max = Math.max(max, current);
        }
        return max;
    }

}
