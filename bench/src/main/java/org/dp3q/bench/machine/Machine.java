package org.dp3q.bench.machine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dp3q.bench.broker.BrokerAdmin;

/** The machine and software the figures were taken on: without this a number means nothing. */
public final class Machine {
    private Machine() {
    }

    /** Lines describing cores, memory, kernel, Java, RabbitMQ, the checkout and the JVM options of the launch scripts. */
    public static List<String> describe(Path repo, BrokerAdmin admin) {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel());
        lines.add("memory: " + memTotalMib() + " MiB; kernel " + read("/proc/sys/kernel/osrelease").strip());
        lines.add("java: " + firstLine("java", "-version") + " (java on PATH, as bin/ scripts use it)");
        try {
            JsonNode o = admin.overview();
            lines.add("rabbitmq: " + o.path("rabbitmq_version").asText() + " on Erlang " + o.path("erlang_version").asText());
        } catch (IOException e) {
            lines.add("rabbitmq: unknown (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lines.add("dp3q: commit " + firstLine("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD")
                + (firstLine("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no").isBlank()
                ? "" : " (with local changes)"));
        lines.add("worker JVM options: " + jvmOptions(repo, "bin/dp3q-worker", "DP3Q_WORKER_JAVA_OPTS")
                + "; dp3q JVM options: " + jvmOptions(repo, "bin/dp3q", "DP3Q_JAVA_OPTS"));
        return lines;
    }

    /** The 1, 5 and 15 minute load averages. */
    public static String loadavg() {
        String[] f = read("/proc/loadavg").trim().split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    public static double loadavg1() {
        try {
            return Double.parseDouble(read("/proc/loadavg").trim().split("\\s+")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The java launcher of the JVM the bench runs on, for the JVMs it starts itself. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The JVM options bin/dp3q-worker starts workers with: {@code $DP3Q_WORKER_JAVA_OPTS}, else its default. */
    public static String workerJavaOptions(Path repo) {
        return javaOptions(repo, "bin/dp3q-worker", "DP3Q_WORKER_JAVA_OPTS");
    }

    /** The JVM options bin/dp3q starts the command line with: {@code $DP3Q_JAVA_OPTS}, else its default. */
    public static String cliJavaOptions(Path repo) {
        return javaOptions(repo, "bin/dp3q", "DP3Q_JAVA_OPTS");
    }

    private static String javaOptions(Path repo, String script, String env) {
        String set = System.getenv(env);
        return set != null ? set : scriptDefault(repo, script, env);
    }

    /** {@link #javaOptions}, saying where they come from, for the report's header. */
    private static String jvmOptions(Path repo, String script, String env) {
        String set = System.getenv(env);
        if (set != null) {
            return "$" + env + "=" + set;
        }
        String fallback = scriptDefault(repo, script, env);
        return fallback.isEmpty() ? "default of " + script : fallback + " (default of " + script + ")";
    }

    /** What {@code script} falls back to when {@code env} is unset: its {@code ${ENV:-...}}, else nothing. */
    private static String scriptDefault(Path repo, String script, String env) {
        Matcher m = Pattern.compile("\\$\\{" + env + ":-([^}]*)}").matcher(read(repo.resolve(script).toString()));
        return m.find() ? m.group(1) : "";
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown model";
    }

    private static long memTotalMib() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstLine(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("").trim();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
