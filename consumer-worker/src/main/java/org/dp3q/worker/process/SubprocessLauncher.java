package org.dp3q.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts a subprocess as the leader of its own session and process group that dies with the thread that
 * started it (see {@link ExecWrapper}): a worker killed with {@code kill -9} takes its subprocesses with it.
 * Start subprocesses only from threads that outlive them. With a {@link Guardian}, {@code dp3q-exec} leads the
 * group and stays as the tool's parent, and the whole group also dies when the worker freezes.
 */
public final class SubprocessLauncher {
    /** In every tool's environment: the pid of the worker that runs it (with a guardian, not its parent). */
    public static final String WORKER_PID_VARIABLE = "DP3Q_WORKER_PID";
    private static final String WORKER_PID = Long.toString(ProcessHandle.current().pid());

    private final Duration killGrace;
    private final ExecWrapper wrapper;
    private final ProcSampler sampler;
    private final LeftoverSweeper sweeper;
    private final RunRegistry registry;
    private final Guardian guardian;
    private final KnownDirectories logDirs = new KnownDirectories();

    public SubprocessLauncher(Duration killGrace, ExecWrapper wrapper, ProcSampler sampler, LeftoverSweeper sweeper) {
        this(killGrace, wrapper, sampler, sweeper, null);
    }

    /** With a registry, every running group is recorded on disk until it is gone (see {@link LeftoverReaper}). */
    public SubprocessLauncher(Duration killGrace, ExecWrapper wrapper, ProcSampler sampler, LeftoverSweeper sweeper,
                              RunRegistry registry) {
        this(killGrace, wrapper, sampler, sweeper, registry, null);
    }

    /** With a guardian (and a wrapper that {@link ExecWrapper#guards}), each tool is watched from outside the JVM. */
    public SubprocessLauncher(Duration killGrace, ExecWrapper wrapper, ProcSampler sampler, LeftoverSweeper sweeper,
                              RunRegistry registry, Guardian guardian) {
        this.guardian = wrapper.guards() ? guardian : null;
        this.killGrace = killGrace;
        this.wrapper = wrapper;
        this.sampler = sampler;
        this.sweeper = sweeper;
        this.registry = registry;
    }

    public RunningProcess start(LaunchSpec spec) throws IOException {
        String marker = RunRegistry.newMarker();
        String runId = marker.substring(RunRegistry.MARKER_VARIABLE.length() + 1);
        List<String> argv = new ArrayList<>(guardian == null ? wrapper.prefix() : wrapper.prefix(guardian.options(runId)));
        argv.add(spec.executable().toString());
        argv.addAll(spec.args());
        logDirs.writeInto(spec.log().getParent(), () -> Files.writeString(spec.log(), header(spec),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(spec.workdir() == null ? null : spec.workdir().toFile())
                // a guardian reads the worker's pings on its standard input and gives the tool /dev/null
                .redirectInput(guardian == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                        : ProcessBuilder.Redirect.PIPE)
                // a guardian sends the tool's output to its standard error, and reports on its standard output
                .redirectOutput(guardian == null ? ProcessBuilder.Redirect.appendTo(spec.log().toFile())
                        : ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.appendTo(spec.log().toFile()))
                .redirectErrorStream(guardian == null);
        builder.environment().putAll(spec.env());
        builder.environment().put(RunRegistry.MARKER_VARIABLE, runId);
        builder.environment().put(WORKER_PID_VARIABLE, WORKER_PID);
        Instant started = Instant.now();
        Process process = builder.start();
        sampler.track(process.pid());
        RunningProcess running = new RunningProcess(process, started, spec.log(), killGrace, sampler, sweeper,
                guardian == null ? null : new RunningProcess.Guarded(guardian, runId));
        if (registry != null) {
            running.whenGone(registry.remember(process.pid(), marker, spec.log().getFileName().toString()));
        }
        return running;
    }

    private static String header(LaunchSpec spec) {
        String command = Stream.concat(Stream.of(spec.executable().toString()), spec.args().stream())
                .collect(Collectors.joining(" "));
        return "# dp3q " + Instant.now() + " in " + (spec.workdir() == null ? "." : spec.workdir()) + ": "
                + command + System.lineSeparator();
    }
}
