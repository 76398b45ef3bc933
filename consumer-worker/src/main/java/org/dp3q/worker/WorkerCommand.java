package org.dp3q.worker;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.DurationConverter;
import org.dp3q.task.TaskCodec;
import org.dp3q.worker.config.QuarantineSettings;
import org.dp3q.worker.config.RetryPolicy;
import org.dp3q.worker.health.AllocationEnd;
import org.dp3q.worker.config.ToolAllowlist;
import org.dp3q.worker.logs.LogRetention;
import org.dp3q.worker.process.LaunchMechanism;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.slot.SlotIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "dp3q-worker", mixinStandardHelpOptions = true, version = "dp3q-worker 0.1.0",
        description = {
            "Runs dp3q tasks as subprocesses, one per slot: each slot is a consumer with prefetch 1, so the broker",
            "never gives a slot a second task while its subprocess runs. A task is acked only after its outcome is",
            "recorded. SIGTERM or SIGINT drains: no new tasks, running ones get --drain-timeout, then exit 0.",
            "A second signal stops waiting.",
        },
        footer = {"", "Exit codes: 0 stopped cleanly (also when its allocation's end leaves room for no queued task), 2 invalid"
                + " options, 3 broker unreachable past --broker-timeout, 5 quarantined with --exit-on-quarantine."})
public class WorkerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

    @Mixin
    BrokerOptions broker;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "1",
            description = "Subprocesses run at once, one consumer each (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--pool", paramLabel = "NAME", defaultValue = Topology.DEFAULT_POOL,
            description = "Task pool to consume: queue dp3q.tasks.<NAME> (default: ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--tool", paramLabel = "NAME=PATH",
            description = "An executable tasks may name in 'tool'; repeatable. Default: DP3 as found on PATH.")
    List<String> tools = new ArrayList<>();

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "dp3q-logs",
            description = "Where each attempt's stdout+stderr log is written, as DIR/<batch>/<task>.attempt<N>[.r<M>].<time>.log "
                    + "(default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "After SIGTERM, how long running subprocesses may finish before they are killed and their "
                    + "tasks requeued (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--kill-grace", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Between SIGTERM and SIGKILL when a subprocess is stopped (timeout, drain) (default: ${DEFAULT-VALUE}).")
    Duration killGrace;

    @Option(names = "--tag", paramLabel = "NAME",
            description = "This worker's name in events and status (default: the host name).")
    String tag;

    @Option(names = "--max-task-bytes", paramLabel = "BYTES", defaultValue = "" + TaskCodec.DEFAULT_MAX_BYTES,
            description = "Larger task messages are recorded invalid without being parsed (default: ${DEFAULT-VALUE}).")
    int maxTaskBytes;

    @Option(names = "--announce-every", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often the worker tells dp3q status that it lives and what its slots run (default: ${DEFAULT-VALUE}).")
    Duration announceEvery;

    @Option(names = "--retry-delay", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Wait before the first retry of a failed attempt of a task with max_attempts > 1; each later "
                    + "retry waits twice as long (default: ${DEFAULT-VALUE}).")
    Duration retryDelay;

    @Option(names = "--retry-max-delay", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "Longest wait between two attempts (default: ${DEFAULT-VALUE}).")
    Duration retryMaxDelay;

    @Option(names = "--guard-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A running subprocess's guardian (dp3q-exec) kills its process group after this long without"
                    + " a ping from this worker, e.g. while the worker's JVM is stopped, so that it never overlaps with the"
                    + " copy the broker hands to another worker; 0: no guardian (default: half the broker heartbeat).")
    Duration guardTimeout;

    @Option(names = "--claim-lease", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "A running chunk is claimed in dp3q.claims and the claim renewed every sixth of this; when the"
                    + " connection drops or the broker restarts, the chunk keeps running as long as a renewal got through"
                    + " within the lease (minus a margin of up to 5 s), and the copy the broker hands to another worker"
                    + " waits, then is settled without running. The cost: a chunk whose worker died runs again only once"
                    + " its claim lapsed, up to this long after. Between 3s and 20m; 0: no claims, a run dies with its"
                    + " delivery (default: ${DEFAULT-VALUE}).")
    Duration claimLease;

    @Option(names = "--quarantine-after", paramLabel = "N", defaultValue = "3",
            description = "After N attempts in a row that failed within --failed-fast, or one whose tool could not start, "
                    + "the worker stops consuming for --quarantine-for: the node is likely broken. Those attempts go back "
                    + "to the queue uncounted; a task's next failure elsewhere is final. 0: never (default: ${DEFAULT-VALUE}).")
    int quarantineAfter;

    @Option(names = "--failed-fast", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "A failed attempt shorter than this may be the node's fault, not the task's (default: ${DEFAULT-VALUE}).")
    Duration failedFast;

    @Option(names = "--quarantine-for", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long a quarantined worker consumes nothing before it tries again (default: ${DEFAULT-VALUE}).")
    Duration quarantineFor;

    @Option(names = "--exit-on-quarantine",
            description = "Exit (code 5) instead of waiting out the quarantine, so SLURM or the allocator replaces the node.")
    boolean exitOnQuarantine;

    @Option(names = "--end-time", paramLabel = "TIME",
            description = "When this worker's allocation ends (e.g. 2026-12-02T06:00:00Z, or seconds since the epoch). "
                    + "Under SLURM read from SLURM_JOB_END_TIME or squeue when not given. No task is started whose "
                    + "timeout_s (else expected_s) cannot end before it minus --drain-timeout; such a task goes back "
                    + "uncounted. When nothing queued fits any more, the worker stops and exits 0.")
    String endTime;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve /health, Prometheus metrics (/prometheus) and the attempt logs of --log-dir (/logs/...) on "
                    + "this port (-1: any free port, logged at start); default: no HTTP server. /health is DOWN while the "
                    + "broker is lost, the worker is quarantined or a slot cannot consume.")
    Integer httpPort;

    @Option(names = "--idle-exit", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Exit 0 once the pool has had no ready task and every slot has been idle for this long, e.g. "
                    + "in a SLURM job started by 'dp3q allocate'; default: never.")
    Duration idleExit;

    @Option(names = "--log-retention", paramLabel = "DURATION", defaultValue = "14d", converter = DurationConverter.class,
            description = "Remove attempt logs older than this from --log-dir, in the background; the logs of tasks held "
                    + "failed stay until a later attempt is logged or they are 4 times as old (default: ${DEFAULT-VALUE}).")
    Duration logRetention;

    public static void main(String[] args) {
        LaunchMechanism.preferVfork();
        // plain picocli: no dependency-injection context to start, which took most of a second
        int exitCode = new picocli.CommandLine(new WorkerCommand()).execute(args);
        org.dp3q.launch.ClassArchive.ended(exitCode);
        System.exit(exitCode);
    }

    @Override
    public Integer call() throws Exception {
        WorkerSettings settings;
        try {
            ToolAllowlist allowlist = ToolAllowlist.parse(tools, System.getenv("PATH"));
            settings = new WorkerSettings(broker.settings(), slots, Topology.requireValidPool(pool),
                    tag != null ? tag : SlotIdentity.localHost(), allowlist, logDir.toAbsolutePath(), drainTimeout,
                    killGrace, maxTaskBytes, announceEvery, httpPort,
                    new RetryPolicy(retryDelay, retryMaxDelay), guardTimeout,
                    new QuarantineSettings(quarantineAfter, failedFast, quarantineFor, exitOnQuarantine),
                    AllocationEnd.find(endTime, System.getenv()), claimLease);
            if (idleExit != null && (idleExit.isZero() || idleExit.isNegative())) {
                throw new IllegalArgumentException("--idle-exit must be longer than zero");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("dp3q-worker: " + e.getMessage());
            return 2;
        }
        Worker worker = new Worker(settings);
        Signal.handle(new Signal("TERM"), signal -> worker.requestStop());
        Signal.handle(new Signal("INT"), signal -> worker.requestStop());
        try {
            worker.start();
        } catch (BrokerUnavailableException e) {
            LOG.error("{}", e.getMessage());
            return 3;
        } catch (java.io.IOException e) {
            LOG.error("cannot set up on broker {}: {}", settings.broker().maskedUri(), e.getMessage());
            return 3;
        }
        if (idleExit != null) {
            worker.stopWhenIdle(idleExit);
        }
        try (LogRetention retention = new LogRetention(settings.logDir(), logRetention, Clock.systemUTC()).start()) {
            worker.runUntilStopped();
        }
        return worker.quarantined() ? 5 : 0;
    }
}
