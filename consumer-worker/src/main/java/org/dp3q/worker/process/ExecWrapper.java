package org.dp3q.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a tool's command line is prefixed with, so that it leads its own session and process group and dies
 * with the worker. Preferred: {@code dp3q-exec}, a small static helper built with the worker and shipped in its
 * jar, one exec; it can also stay as the tool's guardian (see {@link Guardian}). Else util-linux
 * {@code setpriv --pdeathsig KILL setsid}, two execs, which dies with the thread that started it but cannot guard
 * against a frozen worker; without {@code setpriv}, only {@code setsid}, and subprocesses outlive a worker killed
 * with {@code kill -9} until its next start reaps them.
 *
 * @param guards true when the wrapper takes {@link Guardian#options} before its final {@code --}
 */
public record ExecWrapper(List<String> prefix, boolean diesWithWorker, boolean guards, String description) {
    private static final Logger LOG = LoggerFactory.getLogger(ExecWrapper.class);
    private static final String HELPER = "dp3q-exec";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long CHECK_SECONDS = 10;

    /** The helper, unpacked into {@code dir} (kept there for the next start), when it runs here; else util-linux. */
    public static ExecWrapper detect(Path dir) {
        return helper(dir).orElseGet(ExecWrapper::utilLinux);
    }

    /** The helper when this build carries one for this platform and it runs from {@code dir}. */
    public static Optional<ExecWrapper> helper(Path dir) {
        String resource = "/native/" + platform() + "/" + HELPER;
        try (InputStream in = ExecWrapper.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] binary = in.readAllBytes();
            Path executable = unpack(binary, dir);
            if (!runs(executable)) {
                LOG.info("{} does not run on this host (a noexec file system?); using util-linux setpriv + setsid",
                        executable);
                return Optional.empty();
            }
            String parent = Long.toString(ProcessHandle.current().pid());
            return Optional.of(new ExecWrapper(List.of(executable.toString(), parent, "--"), true, true,
                    executable.getFileName().toString()));
        } catch (IOException e) {
            LOG.info("cannot unpack {} into {} ({}); using util-linux setpriv + setsid", HELPER, dir, e.getMessage());
            return Optional.empty();
        }
    }

    /** util-linux {@code setpriv --pdeathsig KILL setsid}; fails when even {@code setsid} is missing. */
    public static ExecWrapper utilLinux() {
        List<String> prefix = new ArrayList<>();
        boolean diesWithWorker = Files.isExecutable(SETPRIV);
        if (diesWithWorker) {
            prefix.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
        }
        if (!Files.isExecutable(SETSID)) {
            throw new IllegalStateException(SETSID + " (util-linux) is needed to give each subprocess its own process group");
        }
        // not a group leader, so setsid execs in place: the tool keeps the pid the worker waits on
        prefix.add(SETSID.toString());
        return new ExecWrapper(List.copyOf(prefix), diesWithWorker, false, String.join(" ", prefix));
    }

    /** The prefix with {@code options} (for a wrapper that {@link #guards}) before its final {@code --}. */
    public List<String> prefix(List<String> options) {
        if (options.isEmpty()) {
            return prefix;
        }
        List<String> withOptions = new ArrayList<>(prefix.subList(0, prefix.size() - 1));
        withOptions.addAll(options);
        withOptions.add(prefix.get(prefix.size() - 1));
        return withOptions;
    }

    /** {@code linux-x86_64}, as {@code uname -sm} names the platform the helper was built on. */
    static String platform() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os + "-" + (arch.equals("amd64") ? "x86_64" : arch);
    }

    /** Content-addressed, so workers of different builds sharing a log directory never overwrite each other's. */
    private static Path unpack(byte[] binary, Path dir) throws IOException {
        Path executable = dir.resolve(HELPER + "-" + digest(binary));
        if (Files.isRegularFile(executable) && Files.size(executable) == binary.length) {
            return executable;
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, HELPER, ".partial");
        try {
            Files.write(partial, binary);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, executable, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return executable;
    }

    private static boolean runs(Path executable) {
        try {
            Process check = new ProcessBuilder(executable.toString(), "--check")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!check.waitFor(CHECK_SECONDS, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return false;
            }
            return check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String digest(byte[] binary) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
