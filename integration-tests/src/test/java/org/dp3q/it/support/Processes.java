package org.dp3q.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code /proc} says about processes on this machine: alive or not, and which carry a given variable. */
public final class Processes {
    private static final Path PROC = Path.of("/proc");

    private Processes() {
    }

    /** True while {@code pid} runs (a zombie waiting for its parent counts as gone). */
    public static boolean alive(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Live processes other than JVMs whose environment holds {@code entry} ({@code NAME=value}), but for resident
     * guardians that wait for a task: they inherit the worker's environment and run nothing now.
     */
    public static List<Long> withEnvironment(String entry) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : entries) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (environmentHas(dir, entry) && alive(pid) && !isJvm(pid) && !isIdleGuardian(dir)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** A {@code dp3q-exec ... --resident} that runs no tool now. */
    private static boolean isIdleGuardian(Path dir) {
        try {
            String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
            if (!java.util.Arrays.asList(cmd.split("\0")).contains("--resident")) {
                return false;
            }
            String pid = dir.getFileName().toString();
            return Files.readString(dir.resolve("task").resolve(pid).resolve("children")).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /** pid, state and command line of each, for failure messages. */
    public static String describe(List<Long> pids) {
        StringBuilder text = new StringBuilder();
        for (long pid : pids) {
            try {
                String cmd = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline")),
                        StandardCharsets.UTF_8).replace('\0', ' ');
                String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
                text.append(pid).append(" [").append(stat.substring(stat.lastIndexOf(')') + 2)).append("] ").append(cmd)
                        .append('\n');
            } catch (IOException e) {
                text.append(pid).append(" gone\n");
            }
        }
        return text.toString();
    }

    private static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("/java")).orElse(false);
    }

    private static boolean environmentHas(Path dir, String entry) {
        try {
            String environ = new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8);
            for (String variable : environ.split("\0")) {
                if (variable.equals(entry)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
