package org.dp3q.bench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU a worker has used, as the kernel counts it: user plus system time of the JVM ({@code /proc/<pid>/stat}),
 * of each of its threads ({@code /proc/<pid>/task/<tid>/stat}), and the own time of its children, its slots'
 * {@code dp3q-exec} guardians (not what the tools they run use: that is the tools'). In ms.
 *
 * @param jvmMs       the JVM, all its threads, those that ended included
 * @param guardiansMs the guardians alive now, their own time
 * @param threads     the JVM's threads alive now, by thread id: name and ms
 */
public record ProcCpu(double jvmMs, double guardiansMs, Map<Long, Thread> threads) {
    /** Clock ticks of {@code /proc} times: USER_HZ, 100 on every Linux. */
    static final double MS_PER_TICK = 10.0;
    /** The kind {@link #busiest} gives the threads that ended. */
    static final String ENDED = "(threads ended)";

    /** A thread's name (as the kernel keeps it: 15 characters) and its CPU. */
    public record Thread(String name, double ms) {
    }

    /** Of the process {@code pid} now. */
    public static ProcCpu of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        double jvm = ms(Files.readString(proc.resolve("stat")));
        Map<Long, Thread> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                readOrNull(task.resolve("stat")).ifPresent(stat -> threads.put(Long.parseLong(task.getFileName().toString()),
                        new Thread(name(stat), ms(stat))));
            }
        }
        double guardians = 0;
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
            guardians += readOrNull(Path.of("/proc", Long.toString(child.pid()), "stat")).map(ProcCpu::ms).orElse(0.0);
        }
        return new ProcCpu(jvm, guardians, threads);
    }

    /** What was used since {@code before}; a thread that ended meanwhile counts in {@link #jvmMs} only. */
    public ProcCpu since(ProcCpu before) {
        Map<Long, Thread> used = new HashMap<>();
        threads.forEach((tid, now) -> {
            Thread then = before.threads.get(tid);
            used.put(tid, new Thread(now.name(), now.ms() - (then == null ? 0 : then.ms())));
        });
        return new ProcCpu(jvmMs - before.jvmMs, guardiansMs - before.guardiansMs, used);
    }

    /** The sum of several processes' figures (threads of the same name added up under a made-up id). */
    public static ProcCpu sum(List<ProcCpu> all) {
        Map<Long, Thread> threads = new HashMap<>();
        long id = 0;
        for (ProcCpu cpu : all) {
            for (Thread thread : cpu.threads.values()) {
                threads.put(id++, thread);
            }
        }
        return new ProcCpu(all.stream().mapToDouble(ProcCpu::jvmMs).sum(), all.stream().mapToDouble(ProcCpu::guardiansMs).sum(),
                threads);
    }

    /**
     * The {@code n} busiest kinds of thread, their numbers dropped ({@code slot-0}, {@code slot-1} are {@code slot-}),
     * each as ms divided by {@code per}: e.g. {@code slot- 1.52, C1 CompilerThre 0.17}. Threads that ended before
     * the last look count as one kind, {@value #ENDED}: the JVM starts a second compiler thread when its queue is
     * long and ends it when idle, and a cold worker's was a quarter of its CPU, missing from the threads alive.
     */
    public String busiest(int n, double per) {
        Map<String, Double> byKind = new LinkedHashMap<>();
        threads.values().forEach(t -> byKind.merge(t.name().replaceAll("[0-9]+$", ""), t.ms(), Double::sum));
        byKind.put(ENDED, jvmMs - threads.values().stream().mapToDouble(Thread::ms).sum());
        return byKind.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(n)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / per)).collect(Collectors.joining(", "));
    }

    /** utime + stime of a {@code stat} line, in ms (fields 14 and 15; the name may hold spaces and parentheses). */
    static double ms(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(after[11]) + Long.parseLong(after[12])) * MS_PER_TICK;
    }

    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    private static java.util.Optional<String> readOrNull(Path stat) {
        try {
            return java.util.Optional.of(Files.readString(stat));
        } catch (IOException e) {
            // it ended between the listing and the read
            return java.util.Optional.empty();
        }
    }
}
