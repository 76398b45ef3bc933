package org.dp3q.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.dp3q.bench.broker.BrokerAddress;
import org.dp3q.bench.broker.BrokerAdmin;
import org.dp3q.bench.machine.Machine;
import org.dp3q.bench.report.Report;
import org.dp3q.bench.sections.BarriersSection;
import org.dp3q.bench.sections.DispatchSection;
import org.dp3q.bench.sections.FloorSection;
import org.dp3q.bench.sections.FootprintSection;
import org.dp3q.bench.sections.LongChunksSection;
import org.dp3q.bench.sections.MemorySection;
import org.dp3q.bench.sections.ReadsSection;
import org.dp3q.bench.sections.PeersSection;
import org.dp3q.bench.sections.SubmitSection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench/run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures dp3q against a real broker with real worker processes and prints a table of medians "
                + "and spreads over repeated runs against the targets of the 'Fast' issue: dispatch gap, makespan, submit "
                + "throughput, worker memory and start-up, and the floors a dispatch gap is made of. Every run gets its own "
                + "vhost, deleted afterwards.")
public class BenchCommand implements Callable<Integer> {
    enum Part { floor, dispatch, submit, footprint, longchunks, memory, reads, barriers, peers }

    @Option(names = "--quick", description = "A smoke run: small sizes, one or two runs each (a few minutes).")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Run only these parts: floor, dispatch, submit, footprint, longchunks, memory, reads, barriers, peers (default: "
                    + "all; peers runs only where the peers are installed).")
    List<Part> only = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", description = "Runs of each dispatch scenario (default 5; quick 1).")
    Integer runs;

    @Option(names = "--scenario", paramLabel = "WxS@MS[-MS][:TARGET]",
            description = "Dispatch scenario, repeatable (default: 4x1@50-500:1.01, 1x8@50-500:1.01, 1x8@200:1.02): "
                    + "W workers × S slots, chunks of MS or uniform in MS-MS milliseconds, makespan ÷ lower bound target.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--floor-runs", paramLabel = "N", description = "Runs of the floor measurements (default 3; quick 1).")
    Integer floorRuns;

    @Option(names = "--chunks", paramLabel = "N", description = "Chunks per dispatch run (default 400; quick 100).")
    Integer chunks;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Near-instant tasks each dispatch run sends first, so the figures are of warm workers "
                    + "(default 200; quick 50; 0 for cold workers).")
    Integer warmup;

    @Option(names = "--submit-tasks", paramLabel = "N", description = "Tasks per submit run (default 100000; quick 10000).")
    Integer submitTasks;

    @Option(names = "--submit-runs", paramLabel = "N", description = "Submit runs (default 3; quick 1).")
    Integer submitRuns;

    @Option(names = "--window", paramLabel = "N", defaultValue = "2000",
            description = "Unconfirmed messages in flight for the raw publisher, as submit keeps (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--footprint-runs", paramLabel = "N", description = "Idle worker starts per slot count (default 5; quick 2).")
    Integer footprintRuns;

    @Option(names = "--footprint-slots", split = ",", paramLabel = "N", description = "Slot counts of the idle workers "
            + "(default: 1,16).")
    List<Integer> footprintSlots = new ArrayList<>();

    @Option(names = "--memory-tasks", paramLabel = "N", description = "Tasks through one worker (default 100000; quick 10000).")
    Integer memoryTasks;

    @Option(names = "--memory-slots", paramLabel = "N", defaultValue = "16",
            description = "Slots of that worker (default: ${DEFAULT-VALUE}).")
    int memorySlots;

    @Option(names = "--memory-tool", paramLabel = "PATH", defaultValue = "/bin/true",
            description = "The trivial tool those tasks run (default: ${DEFAULT-VALUE}).")
    Path memoryTool;

    @Option(names = "--reads-history", split = ",", paramLabel = "N",
            description = "Event records of earlier batches before the reads section's batch (default 0,100000,1000000; "
                    + "quick 0,100000).")
    List<Long> readsHistory = new ArrayList<>();

    @Option(names = "--reads-runs", paramLabel = "N", description = "Runs of each read per history size (default 3; quick 1).")
    Integer readsRuns;

    @Option(names = "--long-window", paramLabel = "SECONDS",
            description = "How long the worker CPU of the longchunks part is counted, while 2 slots run (default 20; quick 8).")
    Integer longWindow;

    @Option(names = "--long-runs", paramLabel = "N", description = "Runs of the longchunks part (default 3; quick 1).")
    Integer longRuns;

    @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "3",
            description = "How long a worker idles before its memory is read (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--barriers", paramLabel = "N", description = "Sequential barriers of the barriers part (default 10; quick 3).")
    Integer barriers;

    @Option(names = "--barrier-chunks", paramLabel = "N", defaultValue = "4",
            description = "Chunks per barrier, on as many 1-slot workers (default: ${DEFAULT-VALUE}).")
    int barrierChunks;

    @Option(names = "--barrier-ms", paramLabel = "MS", defaultValue = "100",
            description = "Duration of each barrier chunk (default: ${DEFAULT-VALUE}).")
    int barrierMs;

    @Option(names = "--peers", paramLabel = "DIR",
            description = "The peers' comparison scripts (compare.sh, barriers.sh; default: ../shared/peers next to the "
                    + "checkout). They use the broker on localhost:5672 and the Debian packages python3-dask "
                    + "python3-distributed python3-celery python3-pika.")
    Path peers;

    @Option(names = "--peer-reps", paramLabel = "N", description = "Runs of each system per compare.sh (default 3; quick 1).")
    Integer peerReps;

    @Option(names = "--broker", paramLabel = "URI",
            description = "Broker to use; each run gets its own vhost on it (default: $DP3Q_BROKER, else "
                    + "amqp://guest:guest@127.0.0.1:5672/).")
    String brokerUri;

    @Option(names = "--management", paramLabel = "URL",
            description = "Its management API, used to create and delete the vhosts (default: port 15672 of the broker host).")
    String managementUrl;

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "The dp3q checkout whose bin/ scripts and packaged jars are measured (default: current directory).")
    Path repo;

    @Option(names = "--standin", paramLabel = "PATH", required = true,
            description = "The compiled C stand-in for DP3 (bench/run builds it).")
    Path standin;

    @Option(names = "--results", paramLabel = "DIR", description = "Where the Markdown and CSV go (default: bench/results).")
    Path results;

    @Option(names = "--keep-work", description = "Keep the scratch directory (worker logs, stand-in records) for a look.")
    boolean keepWork;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "6", description = "Seed of the chunk durations (default: ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        repo = repo.toAbsolutePath().normalize();
        for (String required : List.of("bin/dp3q-worker", "bin/dp3q", "consumer-worker/target/dp3q-worker-all.jar",
                "producer/target/dp3q-all.jar")) {
            if (!Files.exists(repo.resolve(required))) {
                System.err.println("bench: " + repo.resolve(required) + " is missing; build first: mvn -B -q package -DskipTests");
                return 2;
            }
        }
        String uri = brokerUri != null ? brokerUri : System.getenv().getOrDefault("DP3Q_BROKER", "amqp://guest:guest@127.0.0.1:5672/");
        BrokerAddress broker = BrokerAddress.parse(uri, managementUrl);
        BrokerAdmin admin = new BrokerAdmin(broker);
        Path work = Files.createTempDirectory("dp3q-bench-");
        Report report = new Report();
        BenchContext ctx = new BenchContext(repo, standin.toAbsolutePath(), broker, admin, work, report, System.err, seed);
        Machine.describe(repo, admin).forEach(report::machine);
        String startLoad = Machine.loadavg();
        long started = System.nanoTime();
        Set<Part> parts = only.isEmpty() ? new LinkedHashSet<>(List.of(Part.values())) : new LinkedHashSet<>(only);
        List<String> failures = new ArrayList<>();
        for (Part part : parts) {
            try {
                runPart(part, ctx);
            } catch (Exception e) {
                failures.add(part + ": " + e.getMessage());
                ctx.say("%s failed: %s", part, e);
            }
        }
        report.machine(String.format("load average (1, 5, 15 min): %s at the start, %s at the end; the benchmark took %.1f min",
                startLoad, Machine.loadavg(), (System.nanoTime() - started) / 60e9));
        report.machine("mode: " + (quick ? "quick (smoke run, small sizes)" : "full") + "; broker " + broker.describe());
        failures.forEach(f -> report.note("FAILED " + f));
        write(report);
        if (!keepWork) {
            deleteTree(work);
        } else {
            System.err.println("bench: worker logs and stand-in records kept in " + work);
        }
        System.out.println(report.text());
        return failures.isEmpty() ? 0 : 1;
    }

    private void runPart(Part part, BenchContext ctx) throws IOException, InterruptedException {
        Duration settle = Duration.ofSeconds(settleSeconds);
        switch (part) {
            case floor -> new FloorSection(ctx, pick(floorRuns, 3, 1)).run();
            case dispatch -> {
                List<String> specs = scenarios.isEmpty() ? List.of("4x1@50-500:1.01", "1x8@50-500:1.01", "1x8@200:1.02")
                        : scenarios;
                for (String spec : specs) {
                    new DispatchSection(ctx, Scenario.parse(spec), pick(chunks, 400, 100), pick(warmup, 200, 50),
                            pick(runs, 5, 1)).run();
                }
            }
            case submit -> new SubmitSection(ctx, pick(submitTasks, 100_000, 10_000), pick(submitRuns, 3, 1), window).run();
            case footprint -> new FootprintSection(ctx, footprintSlots.isEmpty() ? List.of(1, 16) : footprintSlots,
                    pick(footprintRuns, 5, 2), settle).run();
            case longchunks -> new LongChunksSection(ctx, Duration.ofSeconds(pick(longWindow, 20, 8)), pick(longRuns, 3, 1)).run();
            case memory -> new MemorySection(ctx, pick(memoryTasks, 100_000, 10_000), memorySlots, memoryTool, settle).run();
            case reads -> new ReadsSection(ctx, !readsHistory.isEmpty() ? readsHistory
                    : quick ? List.of(0L, 100_000L) : List.of(0L, 100_000L, 1_000_000L), pick(readsRuns, 3, 1)).run();
            case barriers -> new BarriersSection(ctx, pick(barriers, 10, 3), barrierChunks, barrierMs).run();
            case peers -> new PeersSection(ctx, peers != null ? peers : repo.resolve("../shared/peers"),
                    pick(peerReps, 3, 1)).run();
        }
    }

    private int pick(Integer given, int full, int smoke) {
        return given != null ? given : quick ? smoke : full;
    }

    private void write(Report report) throws IOException {
        Path dir = results != null ? results : repo.resolve("bench/results");
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.writeString(dir.resolve(stamp + ".md"), report.markdown());
        Files.writeString(dir.resolve(stamp + ".csv"), report.csv());
        Files.writeString(dir.resolve("latest.md"), report.markdown());
        System.err.println("bench: results written to " + dir.resolve(stamp + ".md") + " and .csv");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not remove " + root + ": " + e.getMessage());
        }
    }
}
