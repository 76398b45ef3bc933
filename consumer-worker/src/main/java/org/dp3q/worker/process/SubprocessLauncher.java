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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a subprocess as the leader of its own session and process group that dies with the thread that
 * started it (see {@link ExecWrapper}): a worker killed with {@code kill -9} takes its subprocesses with it.
 * Start subprocesses only from threads that outlive them. With a {@link Guardian}, {@code dp3q-exec} leads the
 * group and stays as the tool's parent, and the whole group also dies when the worker freezes; each thread then
 * keeps a {@link ResidentGuardian} that starts its tasks' tools, one after the other.
 */
public final class SubprocessLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(SubprocessLauncher.class);
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
    /** Each slot thread's guardian (slot threads live as long as the worker). */
    private final ThreadLocal<ResidentGuardian> residents = new ThreadLocal<>();
    /** Every thread's guardian, to end them at {@link #close}. */
    private final Set<ResidentGuardian> all = ConcurrentHashMap.newKeySet();

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
        logDirs.writeInto(spec.log().getParent(), () -> Files.writeString(spec.log(), header(spec),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
        return guardian == null ? startUnguarded(spec) : startGuarded(spec);
    }

    /**
     * Through this thread's resident guardian (started now when there is none, or it is gone or still busy with a
     * run nobody waited for).
     */
    private RunningProcess startGuarded(LaunchSpec spec) throws IOException {
        String runId = RunRegistry.newRunId();
        byte[] command = ResidentGuardian.command(spec, runId);
        ResidentGuardian resident = residents.get();
        Instant started = Instant.now();
        if (resident == null || !resident.idle() || !handedTo(resident, command)) {
            forget(resident);
            resident = startResident();
            started = Instant.now();
            if (!handedTo(resident, command)) {
                forget(resident);
                throw new IOException(wrapper.description() + " ended before it took its command");
            }
        }
        RunningProcess running = new RunningProcess(resident.process(), started, spec.log(), killGrace, sampler, sweeper,
                new RunningProcess.Guarded(guardian, resident.recordId()));
        resident.running(running);
        // what follows and the started event can wait until the tool is past its exec
        running.awaitStart();
        // the guardian leads the group of all its runs: one record, written over for each run, gone with it
        tracked(running, runId, spec, resident.record());
        return running;
    }

    /**
     * Starts this thread's resident guardian unless it has one that can take a command: a slot calls it before its
     * first task, so that no task waits for it.
     */
    public void readyGuardian() {
        if (guardian == null) {
            return;
        }
        ResidentGuardian resident = residents.get();
        if (resident != null && resident.idle()) {
            return;
        }
        forget(resident);
        try {
            startResident();
        } catch (IOException e) {
            LOG.warn("cannot start a guardian for this slot's tasks ({}); it will be started with the first task",
                    e.getMessage());
        }
    }

    /** Ends this thread's guardian, for a thread that starts nothing more (the worker's warm-up). */
    public void releaseGuardian() {
        forget(residents.get());
    }

    private static boolean handedTo(ResidentGuardian resident, byte[] command) {
        try {
            resident.launch(command);
            return true;
        } catch (IOException e) {
            // it is gone (killed meanwhile); the pipe says so, and the caller lets go of it
            return false;
        }
    }

    /** This thread's guardian, started now; it replaces the one before. */
    private ResidentGuardian startResident() throws IOException {
        String recordId = RunRegistry.newRunId();
        ProcessBuilder builder = new ProcessBuilder(wrapper.prefix(guardian.options(recordId)))
                // its standard input carries the commands and the pings; its output is its reports
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                // the tool writes to its own log; the guardian's own complaints go to the worker's
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(WORKER_PID_VARIABLE, WORKER_PID);
        Process process = builder.start();
        ResidentGuardian resident = new ResidentGuardian(process, recordId, recordOf(process.pid()));
        residents.set(resident);
        all.add(resident);
        return resident;
    }

    /** Ends a guardian this thread will not hand another command, with any run of it nobody waits for. */
    private void forget(ResidentGuardian resident) {
        if (resident != null) {
            residents.remove();
            all.remove(resident);
            resident.close();
        }
    }

    private RunningProcess startUnguarded(LaunchSpec spec) throws IOException {
        String runId = RunRegistry.newRunId();
        List<String> argv = new ArrayList<>(wrapper.prefix());
        argv.add(spec.executable().toString());
        argv.addAll(spec.args());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(spec.workdir() == null ? null : spec.workdir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()))
                .redirectErrorStream(true);
        builder.environment().putAll(spec.env());
        builder.environment().put(RunRegistry.MARKER_VARIABLE, runId);
        builder.environment().put(WORKER_PID_VARIABLE, WORKER_PID);
        Instant started = Instant.now();
        Process process = builder.start();
        RunningProcess running = new RunningProcess(process, started, spec.log(), killGrace, sampler, sweeper, null);
        RunRegistry.Record record = recordOf(running.pid());
        if (record != null) {
            running.whenGone(record::forget);
        }
        tracked(running, runId, spec, record);
        return running;
    }

    /** Ends the guardians that run nothing; tools already started, and their guardians, are not touched. */
    public void close() {
        all.forEach(ResidentGuardian::closeIfIdle);
        all.clear();
    }

    /** The record of the group {@code pgid} leads; null when runs are not recorded. */
    private RunRegistry.Record recordOf(long pgid) {
        return registry == null ? null : registry.record(pgid);
    }

    /** Samples the run and writes it into its group's record, if runs are recorded. */
    private void tracked(RunningProcess running, String runId, LaunchSpec spec, RunRegistry.Record record) {
        sampler.track(running.pid());
        if (record != null) {
            record.write(RunRegistry.MARKER_VARIABLE + "=" + runId, spec.log().getFileName().toString());
        }
    }

    private static String header(LaunchSpec spec) {
        StringBuilder header = new StringBuilder(256).append("# dp3q ").append(Instant.now()).append(" in ")
                .append(spec.workdir() == null ? "." : spec.workdir()).append(": ").append(spec.executable());
        for (String arg : spec.args()) {
            header.append(' ').append(arg);
        }
        return header.append(System.lineSeparator()).toString();
    }
}
