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
 * Starts a subprocess as the leader of its own process group ({@code setsid}) that dies with the thread
 * that started it ({@code setpriv --pdeathsig KILL}): a worker killed with {@code kill -9} takes its
 * subprocesses with it. Start subprocesses only from threads that outlive them.
 */
public final class SubprocessLauncher {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Duration killGrace;
    private final List<String> wrapper;
    private final ProcSampler sampler;
    private final RunRegistry registry;

    public SubprocessLauncher(Duration killGrace, ProcSampler sampler) {
        this(killGrace, sampler, null);
    }

    /** With a registry, every running group is recorded on disk until it is gone (see {@link LeftoverReaper}). */
    public SubprocessLauncher(Duration killGrace, ProcSampler sampler, RunRegistry registry) {
        this.killGrace = killGrace;
        this.wrapper = wrapper();
        this.sampler = sampler;
        this.registry = registry;
    }

    private static List<String> wrapper() {
        List<String> prefix = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            prefix.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
        }
        if (!Files.isExecutable(SETSID)) {
            throw new IllegalStateException(SETSID + " (util-linux) is needed to give each subprocess its own process group");
        }
        // not a group leader, so setsid execs in place: the tool keeps the pid the worker waits on
        prefix.add(SETSID.toString());
        return List.copyOf(prefix);
    }

    /** True when subprocesses die with their worker; false on a host without util-linux setpriv. */
    public boolean diesWithWorker() {
        return wrapper.get(0).equals(SETPRIV.toString());
    }

    public RunningProcess start(LaunchSpec spec) throws IOException {
        List<String> argv = new ArrayList<>(wrapper);
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
        RunningProcess running = new RunningProcess(process, started, spec.log(), killGrace, sampler);
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
