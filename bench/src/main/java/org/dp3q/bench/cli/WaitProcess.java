package org.dp3q.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/dp3q wait} following a batch while it runs, as a pipeline's barrier does. It runs under bash, whose
 * {@code times} prints the command's CPU (user and system, its JVM's start included) once it has returned.
 */
public final class WaitProcess implements AutoCloseable {
    private static final Pattern MINUTES_SECONDS = Pattern.compile("(\\d+)m([0-9.]+)s");
    private static final String SCRIPT = "\"$0\" wait --broker \"$1\" --batch \"$2\" --expect \"$3\" --progress none"
            + " > /dev/null 2>&1; code=$?; times; exit $code";

    private final Process process;
    private final Path output;

    private WaitProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts waiting for {@code expect} tasks of {@code batch}, which may not be known yet. */
    public static WaitProcess start(Path repo, String brokerUri, String batch, int expect, Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        Path output = workDir.resolve("wait-" + batch + ".times");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", SCRIPT, repo.resolve("bin/dp3q").toString(),
                brokerUri, batch, Integer.toString(expect)).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("DP3Q_BROKER");
        return new WaitProcess(builder.start(), output);
    }

    /** Waits up to {@code within} for the wait to return with exit 0; its CPU, user and system, in ms. */
    public double cpuMs(Duration within) throws IOException, InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("dp3q wait did not return within " + within.toSeconds() + " s of its batch's end");
        }
        List<String> lines = Files.readAllLines(output);
        if (process.exitValue() != 0 || lines.size() < 2) {
            throw new IOException("dp3q wait exited " + process.exitValue() + "; " + output + " holds " + lines);
        }
        // times prints the shell's own user and system time, then its children's
        return milliseconds(lines.get(lines.size() - 1));
    }

    static double milliseconds(String timesLine) {
        Matcher matcher = MINUTES_SECONDS.matcher(timesLine);
        double ms = 0;
        int found = 0;
        while (matcher.find()) {
            ms += (Integer.parseInt(matcher.group(1)) * 60 + Double.parseDouble(matcher.group(2))) * 1000;
            found++;
        }
        if (found != 2) {
            throw new IllegalArgumentException("not a line of bash's times (user and system): " + timesLine);
        }
        return ms;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
