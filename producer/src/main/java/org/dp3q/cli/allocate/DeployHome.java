package org.dp3q.cli.allocate;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the dp3q checkout or install is: {@code DP3Q_HOME}, else two levels above the running jar. */
final class DeployHome {
    static final String WORKERS_SCRIPT = "deploy/slurm/dp3q-workers.sbatch";

    private DeployHome() {
    }

    static Path find() {
        String fromEnv = System.getenv("DP3Q_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        try {
            Path jar = Path.of(DeployHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.toAbsolutePath().getParent().getParent().getParent();
            return Files.exists(home.resolve(WORKERS_SCRIPT)) ? home : Path.of("").toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }
}
