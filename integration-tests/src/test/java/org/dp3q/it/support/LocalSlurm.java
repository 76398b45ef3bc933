package org.dp3q.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A one-node SLURM cluster on loopback, started and stopped with the user-facing script
 * {@code deploy/slurm/local-slurm.sh} (Debian's slurm-wlm and munge; root). It stops by itself should a test run
 * die without closing it.
 */
public final class LocalSlurm implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    private LocalSlurm(Path dir, int port) {
        this.dir = dir;
        env.put("DP3Q_SLURM_DIR", dir.toString());
        env.put("DP3Q_SLURM_PORT", Integer.toString(port));
        env.put("DP3Q_SLURM_TTL", "1200");
    }

    public static LocalSlurm start() throws IOException, InterruptedException {
        LocalSlurm slurm = new LocalSlurm(Files.createTempDirectory("dp3q-slurm"), freePortPair());
        slurm.run(120, List.of("bash", Repo.path("deploy/slurm/local-slurm.sh").toString(), "start"), Map.of());
        return slurm;
    }

    /** The environment SLURM's commands need to find this cluster. */
    public Map<String, String> env() {
        return Map.of("SLURM_CONF", dir.resolve("slurm.conf").toString());
    }

    /** Runs a SLURM command (sbatch, squeue, scancel...) against this cluster with {@code env} added. */
    public String run(int timeoutSeconds, List<String> command, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SLURM_CONF", dir.resolve("slurm.conf").toString());
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s: "
                    + Files.readString(out));
        }
        String output = Files.readString(out);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        return output;
    }

    @Override
    public void close() {
        try {
            run(120, List.of("bash", Repo.path("deploy/slurm/local-slurm.sh").toString(), "stop"), Map.of());
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the local SLURM in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two free ports for SLURM");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
