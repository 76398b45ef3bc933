package org.dp3q.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code integration-tests/browser/} under node: it drives Debian's headless chromium
 * through playwright-core ({@code .ci/run} installs both) and prints its findings as JSON on stdout.
 */
public final class Browser {
    private Browser() {
    }

    public static Path scripts() {
        Path here = Path.of("").toAbsolutePath();
        Path dir = Files.isDirectory(here.resolve("browser")) ? here.resolve("browser") : here.resolve("integration-tests/browser");
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("playwright-core is not installed: run 'npm install --prefix " + dir
                    + "' (and apt-get install chromium), as .ci/run does");
        }
        return dir;
    }

    /** Runs {@code node SCRIPT args...}; returns its stdout, or fails with its stderr. */
    public static String run(Path workDir, String script, long timeoutS, String... args) throws Exception {
        Path dir = scripts();
        List<String> command = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "node", ".out");
        Path err = Files.createTempFile(workDir, "node", ".err");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(timeoutS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + script + " did not finish within " + timeoutS + " s:\n" + Files.readString(err));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("node " + script + " failed (exit " + process.exitValue() + "):\n" + Files.readString(err));
        }
        return Files.readString(out);
    }

    /** Starts {@code node SCRIPT args...} without waiting. */
    public static Process start(Path workDir, String script, String... args) throws Exception {
        Path dir = scripts();
        List<String> command = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(Files.createTempFile(workDir, "node", ".out").toFile())
                .redirectError(Files.createTempFile(workDir, "node", ".err").toFile()).start();
    }
}
