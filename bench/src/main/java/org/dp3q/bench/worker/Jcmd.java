package org.dp3q.bench.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks a running JVM about its heap with {@code jcmd}: live objects after a full collection tell a leak from a lazy heap. */
public final class Jcmd {
    /** The heap's top-level lines: SerialGC's generations or G1's "garbage-first heap", each "total NK, used NK". */
    private static final Pattern HEAP_LINE = Pattern.compile("^\\s?\\S.*?(?:generation|heap)\\s+total (\\d+)K, used (\\d+)K",
            Pattern.MULTILINE);
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private Jcmd() {
    }

    /** Heap in use and committed, and metaspace in use, in KiB. */
    public record Heap(long usedKb, long committedKb, long metaspaceKb) {
    }

    /** Runs a full collection in the JVM, then reads what is still in use. */
    public static Heap liveAfterFullGc(long pid) throws IOException, InterruptedException {
        run(pid, "GC.run");
        return parse(run(pid, "GC.heap_info"));
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
        return new Heap(used, committed, meta.find() ? Long.parseLong(meta.group(1)) : -1);
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
