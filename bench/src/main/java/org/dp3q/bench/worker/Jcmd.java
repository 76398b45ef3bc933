package org.dp3q.bench.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a running JVM about its heap with {@code jcmd}: live objects (a class histogram runs a full collection and
 * counts in the same pause, so a busy JVM cannot allocate in between) tell a leak from a heap being touched.
 */
public final class Jcmd {
    /** The heap's top-level lines: SerialGC's generations or G1's "garbage-first heap", each "total NK, used NK". */
    private static final Pattern HEAP_LINE = Pattern.compile("^\\s?\\S.*?(?:generation|heap)\\s+total (\\d+)K, used (\\d+)K",
            Pattern.MULTILINE);
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    private Jcmd() {
    }

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);

    /**
     * Live objects (after a full collection), heap committed and metaspace in use, in KiB, and the live bytes and
     * instances per class, to tell what grew.
     */
    public record Heap(long usedKb, long committedKb, long metaspaceKb, Map<String, long[]> classes) {
    }

    /** The live heap (a class histogram, which collects first), then the heap's committed size and metaspace. */
    public static Heap liveAfterFullGc(long pid) throws IOException, InterruptedException {
        String histogram = run(pid, "GC.class_histogram");
        Heap info = parse(run(pid, "GC.heap_info"));
        return new Heap(histogramTotalBytes(histogram) / 1024, info.committedKb(), info.metaspaceKb(), classes(histogram));
    }

    /** Class name → {instances, bytes} of a class histogram. */
    static Map<String, long[]> classes(String histogram) {
        Map<String, long[]> classes = new HashMap<>();
        Matcher m = HISTOGRAM_LINE.matcher(histogram);
        while (m.find()) {
            classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        return classes;
    }

    /** The classes whose live bytes grew most from {@code before} to {@code after}: "name +bytes (+instances)". */
    public static List<String> grown(Heap before, Heap after, int top) {
        return after.classes().entrySet().stream()
                .map(e -> {
                    long[] was = before.classes().getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
                })
                .filter(e -> e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %+,d B (%+,d)", e.getKey(), e.getValue()[1],
                        e.getValue()[0]))
                .toList();
    }

    static long histogramTotalBytes(String histogram) {
        Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
        if (!m.find()) {
            throw new IllegalStateException("no Total line in the class histogram");
        }
        return Long.parseLong(m.group(2));
    }

    static Heap parse(String heapInfo) {
        long used = 0;
        long committed = 0;
        Matcher m = HEAP_LINE.matcher(heapInfo);
        while (m.find()) {
            committed += Long.parseLong(m.group(1));
            used += Long.parseLong(m.group(2));
        }
        Matcher meta = METASPACE.matcher(heapInfo);
        return new Heap(used, committed, meta.find() ? Long.parseLong(meta.group(1)) : -1, Map.of());
    }

    /** Runs {@code jcmd <pid> <command...>} (the jcmd of the JDK running the benchmark) and returns its output. */
    public static String run(long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> argv = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        argv.addAll(List.of(command));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
