package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks at real processes through {@code /proc}. A process counts as running unless it is gone or a zombie:
 * in a container whose init does not reap orphans, a killed grandchild stays a zombie, which
 * {@code kill -0} and {@code pgrep} still report.
 */
final class Procs {
    private Procs() {
    }

    static boolean running(long pid) {
        String[] fields = stat(pid);
        return fields != null && !fields[0].equals("Z") && !fields[0].equals("X");
    }

    /** The state letter of {@code pid} ({@code T} when stopped), or {@code ?} when it is gone. */
    static char state(long pid) {
        String[] fields = stat(pid);
        return fields == null ? '?' : fields[0].charAt(0);
    }

    /** Sends {@code signal} (e.g. {@code STOP}) to the whole process group {@code pgid}, through the shell's kill. */
    static void signalGroup(String signal, long pgid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " -" + pgid).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " -" + pgid + " failed");
        }
    }

    /** The process group of {@code pid}, or -1 when it is gone. */
    static long processGroup(long pid) {
        String[] fields = stat(pid);
        return fields == null ? -1 : Long.parseLong(fields[2]);
    }

    /** The session of {@code pid}, or -1 when it is gone. */
    static long session(long pid) {
        String[] fields = stat(pid);
        return fields == null ? -1 : Long.parseLong(fields[3]);
    }

    /** Pids of the processes of group {@code pgid} that still run. */
    static List<Long> runningMembers(long pgid) {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> processGroup(pid) == pgid && running(pid))
                    .forEach(members::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return members;
    }

    /** Fields of /proc/PID/stat after the command name: state, ppid, pgrp, ...; null when the process is gone. */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static long readPid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** A {@code /bin/sh} script in {@code dir}, executable. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
