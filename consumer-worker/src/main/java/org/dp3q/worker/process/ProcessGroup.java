package org.dp3q.worker.process;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals a subprocess's whole tree from the JVM, without starting a {@code kill} process (a fork of the
 * JVM costs milliseconds, more on a loaded host). Each subprocess leads its own session and process group
 * (started through {@code setsid}), so the tree is every process of that session or group, found in
 * {@code /proc}, including children that made a process group of their own, as {@code timeout} does.
 */
public final class ProcessGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);
    /** A tree that forks while being killed needs another round; one that outlives this many is reported. */
    private static final int KILL_ROUNDS = 200;
    private static final Duration BETWEEN_ROUNDS = Duration.ofMillis(5);
    private static final long SELF = ProcessHandle.current().pid();

    public enum Signal { TERM, KILL }

    private ProcessGroup() {
    }

    /** Sends {@code signal} once to every running process of the tree led by {@code leader}; returns how many. */
    public static int signal(long leader, Signal signal) {
        List<Long> members = members(List.of(leader));
        members.forEach(pid -> send(pid, signal));
        return members.size();
    }

    /** SIGKILLs the tree until none of it runs; true when it is gone. */
    public static boolean kill(long leader) {
        return killAll(List.of(leader)).isEmpty();
    }

    /**
     * SIGKILLs every tree led by one of {@code leaders}, again while any of them still runs (a process may
     * fork between two rounds); returns the leaders whose trees still run after the last round.
     */
    public static Set<Long> killAll(Collection<Long> leaders) {
        Set<Long> remaining = new HashSet<>(leaders);
        for (int round = 0; round < KILL_ROUNDS && !remaining.isEmpty(); round++) {
            if (round > 0) {
                LockSupport.parkNanos(BETWEEN_ROUNDS.toNanos());
            }
            List<ProcStat> running = scan();
            Set<Long> seen = new HashSet<>();
            for (ProcStat stat : running) {
                for (Long leader : remaining) {
                    if (stat.belongsTo(leader)) {
                        seen.add(leader);
                        send(stat.pid(), Signal.KILL);
                    }
                }
            }
            remaining.retainAll(seen);
        }
        if (!remaining.isEmpty()) {
            LOG.warn("process group(s) {} still run after {} rounds of SIGKILL", remaining, KILL_ROUNDS);
        }
        return remaining;
    }

    /** True while any process of the tree led by {@code leader} runs. */
    public static boolean isAlive(long leader) {
        return !members(List.of(leader)).isEmpty();
    }

    private static List<Long> members(Collection<Long> leaders) {
        List<Long> pids = new ArrayList<>();
        for (ProcStat stat : scan()) {
            if (leaders.stream().anyMatch(stat::belongsTo)) {
                pids.add(stat.pid());
            }
        }
        return pids;
    }

    private static List<ProcStat> scan() {
        try {
            return ProcScan.all().stream().filter(ProcStat::running).filter(stat -> stat.pid() != SELF).toList();
        } catch (IOException e) {
            LOG.warn("cannot read /proc to find a subprocess tree: {}", e.getMessage());
            return List.of();
        }
    }

    /** ProcessHandle checks the start time it saw, so a pid reused since the scan is left alone. */
    private static void send(long pid, Signal signal) {
        ProcessHandle.of(pid).ifPresent(process -> {
            if (signal == Signal.KILL) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        });
    }
}
