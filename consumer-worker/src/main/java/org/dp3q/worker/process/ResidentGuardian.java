package org.dp3q.worker.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * A slot thread's guardian ({@code dp3q-exec ... --resident}), started before the slot's first task and kept: it
 * has its session, its signal handling and its subreaper role already, and runs each command the slot hands it,
 * one at a time, guarding and reporting each as a one-run guardian does. A task's start thus costs the guardian
 * one fork and the tool's exec, and the JVM starts no process per task. A guardian that died (its group was
 * killed) is replaced at the next start. Commands and pings share one pipe; every write to it holds the pipe's
 * lock, so a ping never lands inside a command.
 */
public final class ResidentGuardian {
    /** As {@code dp3q-exec} reads it: at most this many bytes after the length. */
    private static final int MAX_COMMAND_BYTES = 1 << 20;
    /** Starts every command: no ping (0) or lease (a boot-clock time) is ever this number. */
    private static final long COMMAND_MARK = -1L;
    /** How file names and arguments are encoded for the kernel, as the JDK encodes them for a subprocess. */
    private static final Charset NATIVE = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final Process process;
    private final String recordId;
    /** The run handed over last; null before the first. */
    private volatile RunningProcess current;
    /** Its group's record ({@link RunRegistry}), written over for each run; null when runs are not recorded. */
    private final RunRegistry.Record record;

    /**
     * {@code record}: its group's, removed once it has exited, with every run of it, not at the end of each run,
     * so that no run makes and frees a file.
     */
    ResidentGuardian(Process process, String recordId, RunRegistry.Record record) {
        this.process = process;
        this.recordId = recordId;
        this.record = record;
        if (record != null) {
            process.onExit().thenRun(record::forget);
        }
    }

    Process process() {
        return process;
    }

    /** The name of the file it records a kill in: the kill ends it, so it records one at most. */
    String recordId() {
        return recordId;
    }

    /** True when it is alive and its last run, if any, has reported its end: it can take a command. */
    boolean idle() {
        RunningProcess last = current;
        return process.isAlive() && (last == null || last.reported());
    }

    /** The run it was handed last, now started. */
    void running(RunningProcess run) {
        current = run;
    }

    /** Its group's record, null when runs are not recorded. */
    RunRegistry.Record record() {
        return record;
    }

    /** Hands it a {@link #command}. Throws when it is gone (killed meanwhile): the caller starts another. */
    void launch(byte[] command) throws IOException {
        OutputStream in = process.getOutputStream();
        synchronized (in) {
            in.write(command);
            in.flush();
        }
    }

    /**
     * {@code spec}'s command for the run {@code runId}: its log for both outputs, its directory, its argv and its
     * environment on top of what the guardian inherited, with the run's marker ({@link RunRegistry#MARKER_VARIABLE}).
     * As the 8-byte mark, 8 bytes of length, little-endian, then NUL-terminated strings: log, directory, argc,
     * argv..., env.... Throws when it cannot be passed to an exec (a NUL character, or too long).
     */
    public static byte[] command(LaunchSpec spec, String runId) throws IOException {
        ByteArrayOutputStream strings = new ByteArrayOutputStream(512);
        put(strings, spec.log().toString());
        put(strings, spec.workdir() == null ? "" : spec.workdir().toString());
        put(strings, Integer.toString(1 + spec.args().size()));
        put(strings, spec.executable().toString());
        for (String arg : spec.args()) {
            put(strings, arg);
        }
        // the run's marker is the worker's to set: a task's own value for it would hide the run from the reaper
        put(strings, RunRegistry.MARKER_VARIABLE + "=" + runId);
        for (Map.Entry<String, String> variable : spec.env().entrySet()) {
            if (variable.getKey().isEmpty() || variable.getKey().indexOf('=') >= 0) {
                throw new IOException("not an environment variable name: '" + variable.getKey() + "'");
            }
            if (!variable.getKey().equals(RunRegistry.MARKER_VARIABLE)) {
                put(strings, variable.getKey() + "=" + variable.getValue());
            }
        }
        if (strings.size() > MAX_COMMAND_BYTES) {
            throw new IOException("the command line and environment take " + strings.size() + " bytes; at most "
                    + MAX_COMMAND_BYTES + " can be passed");
        }
        ByteBuffer head = ByteBuffer.allocate(2 * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(COMMAND_MARK).putLong(strings.size());
        ByteArrayOutputStream message = new ByteArrayOutputStream(2 * Long.BYTES + strings.size());
        message.write(head.array());
        strings.writeTo(message);
        return message.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, String text) throws IOException {
        if (text.indexOf('\0') >= 0) {
            throw new IOException("invalid null character in '" + text.replace('\0', '?') + "'");
        }
        out.write(text.getBytes(NATIVE));
        out.write(0);
    }

    /** Ends it when it runs nothing: its input ends, and it exits. A guardian whose tool runs is left alone. */
    void closeIfIdle() {
        if (idle()) {
            close();
        }
    }

    /**
     * Ends it: its input ends. Idle, it exits; with a run nobody waits for any more (the slot moved on without
     * its end), it kills the run's group as it does when its worker dies.
     */
    void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroyForcibly();
        }
    }
}
