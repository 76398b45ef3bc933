package org.dp3q.worker.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stand-in worker JVM for {@link GuardianTest}: starts {@code args[0]} guarded, through the helper unpacked to
 * {@code args[1]}, prints {@code started <pid>} and waits until it is killed.
 */
public final class GuardedChildMain {
    private GuardedChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        ExecWrapper helper = ExecWrapper.helper(dir).orElseThrow();
        Guardian guardian = new Guardian(Duration.ofMinutes(10), dir.resolve("guard"));
        RunningProcess process = new SubprocessLauncher(Duration.ofSeconds(10), helper, new ProcSampler(),
                new LeftoverSweeper(), null, guardian)
                .start(new LaunchSpec(Path.of(args[0]), List.of(), dir, Map.of(), dir.resolve("child.log"), null));
        System.out.println("started " + process.pid());
        System.out.flush();
        process.await(null);
    }
}
