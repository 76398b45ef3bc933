package org.dp3q.worker.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * A guardian started ahead of its run ({@code dp3q-exec ... --spare}): it has its session, its signal handling and
 * its run id already, and waits on its standard input for the command. A slot starts the next one while its
 * tool runs, so a task's start costs the guardian one fork and the tool's exec, instead of the JVM starting a
 * process that then starts the tool. The command goes down the same pipe the pings follow, before any ping.
 */
public final class SpareGuardian {
    /** As {@code dp3q-exec} reads it: at most this many bytes after the length. */
    private static final int MAX_COMMAND_BYTES = 1 << 20;
    /** How file names and arguments are encoded for the kernel, as the JDK encodes them for a subprocess. */
    private static final Charset NATIVE = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final Process process;
    private final String runId;

    SpareGuardian(Process process, String runId) {
        this.process = process;
        this.runId = runId;
    }

    Process process() {
        return process;
    }

    String runId() {
        return runId;
    }

    /** True while it waits for a command; false once it has ended (killed, or it could not set up). */
    boolean waiting() {
        return process.isAlive();
    }

    /**
     * Hands it a {@link #command}. Throws when the spare is gone (killed meanwhile): the caller starts another.
     */
    void launch(byte[] command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(command);
        in.flush();
    }

    /**
     * {@code spec}'s command: its log for both outputs, its directory, its argv and its environment on top of what
     * the spare inherited. As 8 bytes of length, little-endian, then NUL-terminated strings: log, directory,
     * argc, argv..., env.... Throws when it cannot be passed to an exec (a NUL character, or too long).
     */
    public static byte[] command(LaunchSpec spec) throws IOException {
        ByteArrayOutputStream strings = new ByteArrayOutputStream(512);
        put(strings, spec.log().toString());
        put(strings, spec.workdir() == null ? "" : spec.workdir().toString());
        put(strings, Integer.toString(1 + spec.args().size()));
        put(strings, spec.executable().toString());
        for (String arg : spec.args()) {
            put(strings, arg);
        }
        for (Map.Entry<String, String> variable : spec.env().entrySet()) {
            if (variable.getKey().isEmpty() || variable.getKey().indexOf('=') >= 0) {
                throw new IOException("not an environment variable name: '" + variable.getKey() + "'");
            }
            put(strings, variable.getKey() + "=" + variable.getValue());
        }
        if (strings.size() > MAX_COMMAND_BYTES) {
            throw new IOException("the command line and environment take " + strings.size() + " bytes; at most "
                    + MAX_COMMAND_BYTES + " can be passed");
        }
        ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(strings.size());
        ByteArrayOutputStream message = new ByteArrayOutputStream(Long.BYTES + strings.size());
        message.write(length.array());
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

    /** Ends a spare that will not be used: its input ends, and it exits. */
    void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroyForcibly();
        }
    }
}
