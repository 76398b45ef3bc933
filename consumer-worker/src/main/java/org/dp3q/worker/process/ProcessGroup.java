package org.dp3q.worker.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals a subprocess's whole tree. Each subprocess leads its own session and process group (started through
 * {@code setsid}), so a kill reaches the tool and everything it started, such as a container runtime's children,
 * including those that moved to a process group of their own within the session.
 */
public final class ProcessGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);

    private ProcessGroup() {
    }

    /** Signals the group led by {@code pgid} and every process of its session that made a group of its own. */
    public static void signal(long pgid, String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, "--", "-" + pgid));
        ProcScan.outsideGroup(pgid).forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("cannot send SIG{} to process group {}: {}", signal, pgid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while any process of the group is alive. */
    public static boolean isAlive(long pgid) {
        try {
            Process pgrep = new ProcessBuilder("pgrep", "-g", Long.toString(pgid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return pgrep.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
