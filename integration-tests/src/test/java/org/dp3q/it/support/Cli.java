package org.dp3q.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code dp3q} command line as a process against the test's vhost. */
public final class Cli {
    private final String brokerUri;
    private final Path workDir;

    private final java.util.Map<String, String> env;

    Cli(String brokerUri, Path workDir) {
        this(brokerUri, workDir, java.util.Map.of());
    }

    /** A command line whose processes get {@code env} added to their environment. */
    Cli(String brokerUri, Path workDir, java.util.Map<String, String> env) {
        this.brokerUri = brokerUri;
        this.workDir = workDir;
        this.env = env;
    }

    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /** Runs {@code dp3q args...}; {@code stdin} (may be null) is fed to it. */
    public Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        return start(stdin, args).await(180);
    }

    /** Starts {@code dp3q args...} without waiting, e.g. a {@code wait} that must ride through a fault. */
    public Running start(String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-jar", Jars.producer()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "cli", ".out");
        Path err = Files.createTempFile(workDir, "cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("DP3Q_BROKER", brokerUri);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        return new Running(process, out, err);
    }

    /** A dp3q command still running. */
    public record Running(Process process, Path out, Path err) {
        public Result await(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("dp3q did not finish within " + seconds + " s; stderr:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
    }
}
