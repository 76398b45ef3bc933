package org.dp3q.cli.allocate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerSettings;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import org.dp3q.codec.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {
            "Runs until Ctrl-C: watches the pool's ready tasks and its own SLURM jobs (found with squeue by job name) and "
                + "submits worker jobs (deploy/slurm/dp3q-workers.sbatch) when the ready tasks exceed what its pending and "
                + "starting jobs will absorb: at most --max-jobs at once and --backlog pending. Each job's workers exit once "
                + "the pool stays empty for --idle-timeout, so jobs end by themselves when the work is done.",
            "After --max-failures failed sbatch calls, or jobs ending without a worker consuming, in a row, it pauses and "
                + "says why (in 'dp3q status' too) until 'dp3q allocate resume' or a restart. A restart finds its jobs again.",
            "Arguments after -- go to every sbatch call (e.g. -- --partition=cpu --account=proj)."})
public class SlurmAllocateCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--pool", paramLabel = "NAME", defaultValue = Topology.DEFAULT_POOL,
            description = "The pool whose tasks the jobs' workers run (default: ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--max-jobs", paramLabel = "N", required = true,
            description = "Jobs of this allocation in the SLURM queue at once, pending and running.")
    int maxJobs;

    @Option(names = "--nodes-per-job", paramLabel = "K", defaultValue = "1",
            description = "Nodes of each job, one worker each (default: ${DEFAULT-VALUE}).")
    int nodesPerJob;

    @Option(names = "--time-limit", paramLabel = "T", required = true,
            description = "Each job's time limit, as sbatch --time reads it (e.g. 04:00:00). The workers drain 120 s before it.")
    String timeLimit;

    @Option(names = "--slots", paramLabel = "S", required = true, description = "Slots of each worker (one per node).")
    int slots;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "A worker exits after its pool had no ready task and its slots were idle this long: "
                    + "dp3q-worker --idle-exit (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--backlog", paramLabel = "B", defaultValue = "1",
            description = "Jobs of this allocation pending at once (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The jobs' SLURM job name, and the allocation's name in status and resume (default: dp3q-<pool>).")
    String name;

    @Option(names = "--max-failures", paramLabel = "N", defaultValue = "3",
            description = "Pause after this many failed sbatch calls, or jobs ending without a worker consuming, in a row "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxFailures;

    @Option(names = "--poll-every", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to look at the queue and the jobs (default: ${DEFAULT-VALUE}).")
    Duration pollEvery;

    @Option(names = "--cancel-pending", description = "On Ctrl-C (or SIGTERM), also cancel this allocation's pending jobs; "
            + "running ones always finish their work.")
    boolean cancelPending;

    @Option(names = "--job-script", paramLabel = "FILE",
            description = "The batch script of each job (default: $DP3Q_HOME/" + DeployHome.WORKERS_SCRIPT + ").")
    Path jobScript;

    @Option(names = "--worker-broker", paramLabel = "URI",
            description = "The broker URI the workers log in with, e.g. as the worker user (default: $DP3Q_WORKER_BROKER, "
                    + "else the allocator's).")
    String workerBroker;

    @Option(names = "--worker-password-file", paramLabel = "FILE",
            description = "The workers' broker password file (default: $DP3Q_WORKER_PASSWORD_FILE, else the allocator's).")
    Path workerPasswordFile;

    @Parameters(paramLabel = "SBATCH-ARG", description = "After --: added to every sbatch call.")
    List<String> sbatchArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        AllocatorSettings settings;
        BrokerSettings brokerSettings;
        try {
            brokerSettings = broker.settings();
            settings = settings(brokerSettings);
        } catch (IllegalArgumentException e) {
            System.err.println("dp3q allocate slurm: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Slurm slurm = new Slurm(System.getProperty("user.name"));
        try {
            slurm.jobs(settings.name());
        } catch (SlurmException e) {
            System.err.println("dp3q allocate slurm: SLURM does not answer here (" + e.getMessage()
                    + "); run the allocator where squeue and sbatch work");
            return ExitCodes.USAGE;
        }
        try (BrokerSession session = BrokerSession.open(brokerSettings, "allocate " + settings.name(), List.of(settings.pool()));
             WorkerSightings sightings = WorkerSightings.follow(session.connection(), settings.name())) {
            Allocator allocator = new Allocator(settings, slurm, session.connection(), sightings);
            Signal.handle(new Signal("INT"), signal -> allocator.requestStop());
            Signal.handle(new Signal("TERM"), signal -> allocator.requestStop());
            allocator.run(cancelPending);
            return ExitCodes.OK;
        } catch (BrokerUnavailableException | java.io.IOException e) {
            System.err.println("dp3q allocate slurm: " + e.getMessage());
            return ExitCodes.BROKER;
        }
    }

    private AllocatorSettings settings(BrokerSettings brokerSettings) {
        String allocation = AllocationName.of(name, Topology.requireValidPool(pool));
        Path home = DeployHome.find();
        Path script = jobScript != null ? jobScript.toAbsolutePath() : home.resolve(DeployHome.WORKERS_SCRIPT);
        if (!Files.isReadable(script)) {
            throw new IllegalArgumentException("no job script at " + script + "; set DP3Q_HOME or --job-script");
        }
        return new AllocatorSettings(allocation, pool, maxJobs, nodesPerJob, timeLimit, slots, idleTimeout, backlog,
                maxFailures, pollEvery, script, List.copyOf(sbatchArgs), workerEnv(brokerSettings, home));
    }

    private Map<String, String> workerEnv(BrokerSettings brokerSettings, Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("DP3Q_HOME", home.toString());
        String uri = workerBroker != null ? workerBroker : System.getenv("DP3Q_WORKER_BROKER");
        env.put(BrokerSettings.ENV_URI, uri != null && !uri.isBlank() ? uri : brokerSettings.uri());
        Path passwordFile = workerPasswordFile;
        if (passwordFile == null && System.getenv("DP3Q_WORKER_PASSWORD_FILE") != null) {
            passwordFile = Path.of(System.getenv("DP3Q_WORKER_PASSWORD_FILE"));
        }
        if (passwordFile == null) {
            passwordFile = brokerSettings.passwordFile();
        }
        if (passwordFile != null) {
            env.put(BrokerSettings.ENV_PASSWORD_FILE, passwordFile.toAbsolutePath().toString());
        }
        return env;
    }
}
