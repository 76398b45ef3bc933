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
 * Start subprocesses only from threads that outlive them.
 */
public final class SubprocessLauncher {
    private final Duration killGrace;
    private final ExecWrapper wrapper;
    private final ProcSampler sampler;
    private final LeftoverSweeper sweeper;
    private final RunRegistry registry;

    public SubprocessLauncher(Duration killGrace, ExecWrapper wrapper, ProcSampler sampler, LeftoverSweeper sweeper) {
        this(killGrace, wrapper, sampler, sweeper, null);
    }

    /** With a registry, every running group is recorded on disk until it is gone (see {@link LeftoverReaper}). */
    public SubprocessLauncher(Duration killGrace, ExecWrapper wrapper, ProcSampler sampler, LeftoverSweeper sweeper,
                              RunRegistry registry) {
        this.killGrace = killGrace;
        this.wrapper = wrapper;
        this.sampler = sampler;
        this.sweeper = sweeper;
        this.registry = registry;
    }

    public RunningProcess start(LaunchSpec spec) throws IOException {
        List<String> argv = new ArrayList<>(wrapper.prefix());
        argv.add(spec.executable().toString());
        argv.addAll(spec.args());
        Files.createDirectories(spec.log().getParent());
        Files.writeString(spec.log(), header(spec), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(spec.workdir() == null ? null : spec.workdir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()))
                .redirectErrorStream(true);
        builder.environment().putAll(spec.env());
        String marker = RunRegistry.newMarker();
        builder.environment().put(RunRegistry.MARKER_VARIABLE, marker.substring(RunRegistry.MARKER_VARIABLE.length() + 1));
        Instant started = Instant.now();
        Process process = builder.start();
        sampler.track(process.pid());
        RunningProcess running = new RunningProcess(process, started, spec.log(), killGrace, sampler, sweeper);
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
