package org.dp3q.bench.standin;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stand-in's own record of its runs ({@code start <ns> <pid> <ppid> args...} and {@code end <ns> <pid> <code>}
 * lines, the format of examples/standin/dp3-standin). A start is paired with the next end of the same pid.
 */
public final class StandinRuns {
    private StandinRuns() {
    }

    /** One stand-in run; {@code endNs} is -1 when it never ended (killed). */
    public record Run(long pid, long parentPid, long startNs, long endNs, int exitCode, List<String> args) {
        public Optional<String> arg(String key) {
            String prefix = key + "=";
            return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst();
        }

        public boolean ended() {
            return endNs >= 0;
        }
    }

    /** {@code time} on the stand-in's clock: CLOCK_REALTIME, in ns since the epoch. */
    public static long epochNs(Instant time) {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }

    public static List<Run> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            return parse(reader.lines().toList());
        }
    }

    public static List<Run> parse(List<String> lines) {
        List<Run> runs = new ArrayList<>();
        Map<Long, Integer> open = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length >= 4 && f[0].equals("start")) {
                long pid = Long.parseLong(f[2]);
                open.put(pid, runs.size());
                runs.add(new Run(pid, Long.parseLong(f[3]), Long.parseLong(f[1]), -1, -1,
                        List.of(Arrays.copyOfRange(f, 4, f.length))));
            } else if (f.length >= 4 && f[0].equals("end")) {
                Integer index = open.remove(Long.parseLong(f[2]));
                if (index != null) {
                    Run r = runs.get(index);
                    runs.set(index, new Run(r.pid(), r.parentPid(), r.startNs(), Long.parseLong(f[1]),
                            Integer.parseInt(f[3]), r.args()));
                }
            }
        }
        return runs;
    }
}
