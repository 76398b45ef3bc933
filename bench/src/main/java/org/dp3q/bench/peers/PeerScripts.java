package org.dp3q.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peers' comparison scripts ({@code compare.sh}, {@code barriers.sh}), run from the dp3q checkout as their README
 * says, each with its output kept in a log.
 */
public final class PeerScripts {
    private static final Pattern RESULTS = Pattern.compile("results in (\\S+?)\\)");
    private static final String PYTHON = "/usr/bin/python3";

    private final Path dir;
    private final Path repo;

    public PeerScripts(Path dir, Path repo) {
        this.dir = dir.toAbsolutePath().normalize();
        this.repo = repo;
    }

    /** Why the peers cannot run here, or null when they can. */
    public String missing() throws InterruptedException {
        if (!Files.isRegularFile(dir.resolve("compare.sh")) || !Files.isRegularFile(dir.resolve("barriers.sh"))) {
            return "no compare.sh and barriers.sh in " + dir + " (give the peers' directory with --peers)";
        }
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import dask, distributed, celery, pika")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0) {
                return null;
            }
            check.destroyForcibly();
        } catch (IOException e) {
            return PYTHON + " cannot run: " + e.getMessage();
        }
        return "the peers are not installed (apt-get install python3-dask python3-distributed python3-celery python3-pika)";
    }

    /** Runs {@code compare.sh W WORKLOAD REPS}; returns the directory it left the runs' summaries in. */
    public Path compare(int slots, String workload, int reps, Path log) throws IOException, InterruptedException {
        String out = run(List.of(dir.resolve("compare.sh").toString(), Integer.toString(slots),
                dir.resolve("workloads").resolve(workload).toString(), Integer.toString(reps)), log, 30L * reps + 10);
        Matcher m = RESULTS.matcher(out);
        if (!m.find()) {
            throw new IOException("compare.sh printed no results directory; see " + log);
        }
        return Path.of(m.group(1));
    }

    /** Runs {@code barriers.sh ROUNDS CHUNKS MS}; returns what it printed. */
    public String barriers(int rounds, int chunks, int ms, Path log) throws IOException, InterruptedException {
        return run(List.of(dir.resolve("barriers.sh").toString(), Integer.toString(rounds), Integer.toString(chunks),
                Integer.toString(ms)), log, 20);
    }

    private String run(List<String> command, Path log, long minutes) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("DP3Q_BROKER");
        Process process = builder.start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + minutes + " min; see " + log);
        }
        return Files.readString(log);
    }
}
